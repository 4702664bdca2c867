// Package sheets reads the tables people keep in spreadsheets into
// numbered rows of text: CSV as Excel and LibreOffice save it (comma or
// semicolon, with or without a byte-order mark, a "sep=;" first line) and
// XLSX workbooks (the first sheet, or one named). Excel's quirks are
// handled here once for every import; what the cells mean is the
// caller's business.
package sheets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Format is how a file was written.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Row is one line of the table. Line counts from 1 as the file's reader
// sees it: the CSV line where the record starts, or the sheet's row
// number. Cells are as written, surrounding spaces included; XLSX dates
// are YYYY-MM-DD and numbers as the sheet shows them.
type Row struct {
	Line  int
	Cells []string
}

// Table is a file's rows and how it was read.
type Table struct {
	Format Format
	Comma  rune   // CSV's separator
	Sheet  string // the XLSX sheet read
	Rows   []Row
	// BadQuotes are the CSV lines whose quoting is broken; their records
	// are missing from Rows, the lines after them are read on.
	BadQuotes []int
}

// Kind says what is wrong with a file as a whole.
type Kind string

const (
	KindTooLarge     Kind = "too_large"     // Value: the limit in bytes
	KindUTF16        Kind = "utf16"         // a UTF-16 text file
	KindNotUTF8      Kind = "not_utf8"      // Line: the first line that is not UTF-8
	KindOldExcel     Kind = "old_excel"     // an .xls (Excel 97-2003) workbook
	KindBadWorkbook  Kind = "bad_workbook"  // an XLSX that cannot be read (damaged, encrypted)
	KindUnknownSheet Kind = "unknown_sheet" // Value: the sheet asked for; Sheets: those there are
)

// Error is what is wrong with a file as a whole.
type Error struct {
	Kind   Kind
	Line   int
	Value  string
	Sheets []string
	Err    error // the reader's error, for a bad workbook
}

func (e *Error) Error() string {
	msg := "sheets: " + string(e.Kind)
	if e.Line > 0 {
		msg += fmt.Sprintf(" at line %d", e.Line)
	}
	if e.Value != "" {
		msg += fmt.Sprintf(" %q", e.Value)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Options say how to read.
type Options struct {
	Sheet    string // XLSX: the sheet to read; empty: the first
	MaxBytes int64  // the whole file; 0: no limit
}

// Read reads a CSV or XLSX file, told apart by its first bytes.
func Read(r io.Reader, opt Options) (*Table, error) {
	limit := opt.MaxBytes
	if limit <= 0 {
		limit = math.MaxInt64 - 1
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("sheets: read: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, &Error{Kind: KindTooLarge, Value: strconv.FormatInt(limit, 10)}
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data, opt.Sheet)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		// The compound-file header of .xls, and of encrypted .xlsx.
		return nil, &Error{Kind: KindOldExcel}
	}
	return readCSV(data)
}

// readCSV reads text as Excel saves it: "CSV UTF-8" starts with a
// byte-order mark; a computer whose list separator is ';' (Vietnamese and
// most European settings, where ',' is the decimal comma) separates cells
// with ';'.
func readCSV(data []byte) (*Table, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, &Error{Kind: KindUTF16}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, &Error{Kind: KindNotUTF8, Line: firstInvalidLine(data)}
	}
	t := &Table{Format: CSV, Comma: ','}
	skip := 0 // lines before the table: Excel's "sep=;" directive
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if s := strings.TrimSpace(string(first)); len(s) == 5 && strings.HasPrefix(strings.ToLower(s), "sep=") {
		t.Comma = rune(s[4])
		data, skip = rest, 1
	} else {
		t.Comma = guessComma(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = t.Comma
	cr.FieldsPerRecord = -1 // a wrong count is the caller's to report by line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.BadQuotes = append(t.BadQuotes, pe.StartLine+skip)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sheets: read CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		t.Rows = append(t.Rows, Row{Line: line + skip, Cells: rec})
	}
	return t, nil
}

// guessComma picks the separator of the first line that is not blank:
// the one of ',', ';' and tab it has most of outside quotes; ',' when it
// has none (a one-column file).
func guessComma(data []byte) rune {
	for line := range bytes.Lines(data) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		counts := map[rune]int{}
		quoted := false
		for _, r := range string(line) {
			switch {
			case r == '"':
				quoted = !quoted
			case !quoted && (r == ',' || r == ';' || r == '\t'):
				counts[r]++
			}
		}
		best := ','
		for _, r := range []rune{';', '\t'} {
			if counts[r] > counts[best] {
				best = r
			}
		}
		return best
	}
	return ','
}

func firstInvalidLine(data []byte) int {
	n := 1
	for line := range bytes.Lines(data) {
		if !utf8.Valid(line) {
			return n
		}
		n++
	}
	return n
}

// readXLSX reads one sheet of a workbook. Cells come as the sheet shows
// them, except dates, which come as YYYY-MM-DD whatever the sheet's date
// format, so that 03/04/2020 is never read the wrong way round.
func readXLSX(data []byte, sheet string) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, &Error{Kind: KindBadWorkbook, Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			return nil, &Error{Kind: KindBadWorkbook, Err: errors.New("no sheet")}
		}
		sheet = sheets[0]
	} else if !hasSheet(sheets, sheet) {
		return nil, &Error{Kind: KindUnknownSheet, Value: sheet, Sheets: sheets}
	}
	shown, err := f.GetRows(sheet)
	if err != nil {
		return nil, &Error{Kind: KindBadWorkbook, Err: err}
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &Error{Kind: KindBadWorkbook, Err: err}
	}
	t := &Table{Format: XLSX, Sheet: sheet}
	for i, cells := range shown {
		for j, v := range cells {
			if i >= len(raw) || j >= len(raw[i]) || raw[i][j] == v {
				continue
			}
			if d, ok := dateCell(f, sheet, i+1, j+1, raw[i][j]); ok {
				cells[j] = d
			}
		}
		t.Rows = append(t.Rows, Row{Line: i + 1, Cells: cells})
	}
	return t, nil
}

func hasSheet(sheets []string, name string) bool {
	for _, s := range sheets {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// dateCell returns the date of a cell holding a serial number shown in a
// date format, as YYYY-MM-DD.
func dateCell(f *excelize.File, sheet string, row, col int, raw string) (string, bool) {
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return "", false
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return "", false
	}
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		return "", false
	}
	style, err := f.GetStyle(id)
	if err != nil || style == nil || !isDateFormat(style) {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// isDateFormat tells a date format from a number format: the built-in
// date formats by id, a custom one by a day or year code outside quotes.
func isDateFormat(s *excelize.Style) bool {
	if s.CustomNumFmt != nil {
		code := strings.ToLower(*s.CustomNumFmt)
		quoted := false
		for _, r := range code {
			switch {
			case r == '"':
				quoted = !quoted
			case !quoted && (r == 'd' || r == 'y'):
				return true
			}
		}
		return false
	}
	id := s.NumFmt
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || (id >= 50 && id <= 58)
}
