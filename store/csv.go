package store

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Problem is a stable code for what is wrong with an import or plan file.
// The locales catalogs use it as the message key, so a code, once
// released, is never renamed. The codes:
//
//	File as a whole (Line 0):
//	  empty_file         nothing but blanks (or a byte-order mark)
//	  too_large          over MaxImportBytes / MaxPlanBytes; Value is the limit in bytes
//	  no_rows            a header and no data rows
//	  too_many_errors    collection stopped at MaxImportErrors (MaxPlanErrors
//	                     for a plan); the file has more. Value is the limit
//	Shape of a CSV line:
//	  bad_header         Column is the expected column at the first difference
//	                     ("" when the header has extra columns), Value what the
//	                     file has there ("" when missing); see CommuneColumns,
//	                     ProvinceColumns and PostColumns for the whole header
//	  too_many_columns   Value is the number of columns the line has
//	  too_few_columns    Value is the number of columns the line has
//	  line_too_long      over MaxRowBytes
//	  too_many_rows      over MaxImportRows; reading stopped there
//	  bad_quotes         a stray or unclosed double quote
//	  bad_utf8           a cell that is not UTF-8 (Line 0: the whole file is
//	                     UTF-16, as some spreadsheets save it)
//	A cell (CSV) or a field (plan):
//	  empty_value        a required value is missing
//	  bad_text           a control character (tab, line break, ...) in a text
//	  bad_code           not an administrative code: digits only, 2 for a
//	                     province, 3 for a district, 5 for a commune
//	  unknown_type       not xã, phường or thị trấn
//	  unknown_kind       a post that is not chief, deputy or officer
//	  bad_slot           not a whole number from 1 to MaxSlot; a chief's slot must be 1
//	  unknown_status     not regular, semi or vacant
//	  bad_date           not a YYYY-MM-DD date between 1950 and 2100
//	  holder_for_vacant  a vacant post with a holder's name
//	  since_for_vacant   a vacant post with a since date
//	Across lines (FirstLine is the earlier line):
//	  duplicate_slot     the same (commune, post, slot) twice
//	  duplicate_commune  the same commune code twice
//	  conflicting_names  one district (or province) code with two names
//	  conflicting_province  one district code under two provinces
//	Checked by the database import, not here:
//	  unknown_commune    a post of a commune the store does not know
//
// The plan file's own codes are listed with ParsePlan.
type Problem string

const (
	ProblemEmptyFile           Problem = "empty_file"
	ProblemTooLarge            Problem = "too_large"
	ProblemNoRows              Problem = "no_rows"
	ProblemTooManyErrors       Problem = "too_many_errors"
	ProblemBadHeader           Problem = "bad_header"
	ProblemTooManyColumns      Problem = "too_many_columns"
	ProblemTooFewColumns       Problem = "too_few_columns"
	ProblemLineTooLong         Problem = "line_too_long"
	ProblemTooManyRows         Problem = "too_many_rows"
	ProblemBadQuotes           Problem = "bad_quotes"
	ProblemBadUTF8             Problem = "bad_utf8"
	ProblemEmptyValue          Problem = "empty_value"
	ProblemBadText             Problem = "bad_text"
	ProblemBadCode             Problem = "bad_code"
	ProblemUnknownType         Problem = "unknown_type"
	ProblemUnknownKind         Problem = "unknown_kind"
	ProblemBadSlot             Problem = "bad_slot"
	ProblemUnknownStatus       Problem = "unknown_status"
	ProblemBadDate             Problem = "bad_date"
	ProblemHolderForVacant     Problem = "holder_for_vacant"
	ProblemSinceForVacant      Problem = "since_for_vacant"
	ProblemDuplicateSlot       Problem = "duplicate_slot"
	ProblemDuplicateCommune    Problem = "duplicate_commune"
	ProblemConflictingNames    Problem = "conflicting_names"
	ProblemConflictingProvince Problem = "conflicting_province"
	ProblemUnknownCommune      Problem = "unknown_commune"
)

// Limits on an import file, so that a hostile or mistaken upload cannot
// exhaust memory. The national communes file is 0.75 MiB and 10,643 rows;
// a national posts file (about ten posts per commune) stays well under
// both limits.
const (
	MaxImportBytes  = 16 << 20 // whole file, read into memory at once
	MaxImportRows   = 200_000  // data rows, blank rows not counted
	MaxRowBytes     = 4096     // the cells of one row together
	MaxImportErrors = 1000     // collected before giving up
	MaxSlot         = 99
	maxValueRunes   = 64 // of a cell quoted back in an ImportError
)

// The headers an import file must start with, in this order. Header cells
// are compared without surrounding spaces and without regard to case.
var (
	CommuneColumns  = []string{"district_code", "district_name", "commune_code", "commune_name", "commune_type"}
	ProvinceColumns = []string{"province_code", "province_name"} // optional, before CommuneColumns
	PostColumns     = []string{"commune_code", "post", "slot", "status", "holder", "since"}
)

// CommuneRow is one line of a communes file. ProvinceCode and ProvinceName
// are empty when the file has no province columns.
type CommuneRow struct {
	Line                       int
	ProvinceCode, ProvinceName string
	DistrictCode, DistrictName string
	Code, Name                 string
	Type                       CommuneType
}

// PostRow is one line of a posts file.
type PostRow struct {
	Line int
	Post Post
}

// ImportError is one problem of an import file. Line 1 is the header;
// Line 0 is the file as a whole. Column is a header name, empty when the
// problem is the whole line. Value is the offending cell, trimmed, made
// valid UTF-8 and shortened, fit to quote back to the user.
type ImportError struct {
	Line    int
	Column  string
	Problem Problem
	Value   string
	// FirstLine is, for the duplicate_* and conflicting_* problems, the
	// earlier line this one clashes with; 0 otherwise.
	FirstLine int
}

func (e ImportError) Error() string {
	var b strings.Builder
	b.WriteString("store: import")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %s", e.Column)
	}
	fmt.Fprintf(&b, ": %s", e.Problem)
	if e.Value != "" {
		fmt.Fprintf(&b, " %q", e.Value)
	}
	if e.FirstLine > 0 {
		fmt.Fprintf(&b, " (first on line %d)", e.FirstLine)
	}
	return b.String()
}

// ImportErrors are all the problems of an import file, by line.
type ImportErrors []ImportError

func (e ImportErrors) Error() string {
	parts := make([]string, len(e))
	for i, ie := range e {
		parts[i] = ie.Error()
	}
	return strings.Join(parts, "; ")
}

// ParseCommunes reads a communes file: the header CommuneColumns,
// optionally preceded by ProvinceColumns, then one commune per line.
//
// Accepted: a UTF-8 byte-order mark, CRLF line ends, blank lines and lines
// whose cells are all blank (spreadsheet exports leave them), spaces
// around cells, any case in commune_type. Names are normalised to NFC.
// Rejected: see Problem. Every problem of the file is collected (up to
// MaxImportErrors); rows are returned only when there is none, and then
// there is at least one. Other errors are the reader's.
func ParseCommunes(r io.Reader) ([]CommuneRow, error) {
	type seen struct {
		name, parent string
		line         int
	}
	var rows []CommuneRow
	communes := make(map[string]int) // code → line
	districts := make(map[string]seen)
	provinces := make(map[string]seen)

	headers := [][]string{CommuneColumns, append(append([]string(nil), ProvinceColumns...), CommuneColumns...)}
	err := readTable(r, headers, func(c *rowCells) {
		row := CommuneRow{
			Line:         c.line,
			ProvinceCode: c.code("province_code", 2),
			ProvinceName: c.text("province_name", true),
			DistrictCode: c.code("district_code", 3),
			DistrictName: c.text("district_name", true),
			Code:         c.code("commune_code", 5),
			Name:         c.text("commune_name", true),
		}
		if v, ok := c.value("commune_type"); ok {
			row.Type = CommuneType(strings.ToLower(v))
			if v == "" {
				c.fail("commune_type", ProblemEmptyValue, "")
			} else if !row.Type.Valid() {
				c.fail("commune_type", ProblemUnknownType, v)
			}
		}
		if row.Code != "" {
			if first, dup := communes[row.Code]; dup {
				c.clash("commune_code", ProblemDuplicateCommune, row.Code, first)
			} else {
				communes[row.Code] = c.line
			}
		}
		if row.ProvinceCode != "" && row.ProvinceName != "" {
			if p, ok := provinces[row.ProvinceCode]; !ok {
				provinces[row.ProvinceCode] = seen{name: row.ProvinceName, line: c.line}
			} else if p.name != row.ProvinceName {
				c.clash("province_name", ProblemConflictingNames, row.ProvinceName, p.line)
			}
		}
		if row.DistrictCode != "" && row.DistrictName != "" {
			if d, ok := districts[row.DistrictCode]; !ok {
				districts[row.DistrictCode] = seen{name: row.DistrictName, parent: row.ProvinceCode, line: c.line}
			} else if d.name != row.DistrictName {
				c.clash("district_name", ProblemConflictingNames, row.DistrictName, d.line)
			} else if row.ProvinceCode != "" && d.parent != "" && d.parent != row.ProvinceCode {
				c.clash("province_code", ProblemConflictingProvince, row.ProvinceCode, d.line)
			}
		}
		if !c.bad {
			rows = append(rows, row)
		}
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ParsePosts reads a posts file: the header PostColumns, then one post per
// line. post is chief, deputy or officer; slot a whole number from 1 (a
// chief's is always 1: one chief per commune); status regular, semi or
// vacant; holder and since may be empty (a name may be unknown or
// withheld) but a vacant post has neither; since is YYYY-MM-DD and becomes
// midnight UTC, a calendar date rather than an instant. Whether each
// commune exists is for the database import to check (unknown_commune).
//
// What is accepted and how problems are reported is as for ParseCommunes.
func ParsePosts(r io.Reader) ([]PostRow, error) {
	var rows []PostRow
	slots := make(map[PostRef]int) // → line

	err := readTable(r, [][]string{PostColumns}, func(c *rowCells) {
		p := Post{CommuneCode: c.code("commune_code", 5)}
		if v, _ := c.value("post"); v == "" {
			c.fail("post", ProblemEmptyValue, "")
		} else if p.Kind = PostKind(strings.ToLower(v)); !p.Kind.Valid() {
			c.fail("post", ProblemUnknownKind, v)
		}
		if v, _ := c.value("slot"); v == "" {
			c.fail("slot", ProblemEmptyValue, "")
		} else if n, ok := parseSlot(v); !ok || (p.Kind == Chief && n != 1) {
			c.fail("slot", ProblemBadSlot, v)
		} else {
			p.Slot = n
		}
		if v, _ := c.value("status"); v == "" {
			c.fail("status", ProblemEmptyValue, "")
		} else if p.Status = Status(strings.ToLower(v)); !p.Status.Valid() {
			c.fail("status", ProblemUnknownStatus, v)
		}
		if v, ok := c.value("holder"); ok {
			name, err := CleanHolder(v)
			var he *HolderError
			if errors.As(err, &he) {
				c.fail("holder", he.Problem, he.Value)
			}
			p.Holder = name
		}
		if p.Status == Vacant && p.Holder != "" {
			c.fail("holder", ProblemHolderForVacant, p.Holder)
		}
		if v, _ := c.value("since"); v != "" {
			if d, ok := parseDate(v, time.UTC); !ok {
				c.fail("since", ProblemBadDate, v)
			} else if p.Status == Vacant {
				c.fail("since", ProblemSinceForVacant, v)
			} else {
				p.Since = &d
			}
		}
		if p.CommuneCode != "" && p.Kind.Valid() && p.Slot > 0 {
			if first, dup := slots[p.Ref()]; dup {
				c.clash("slot", ProblemDuplicateSlot, p.Ref().String(), first)
			} else {
				slots[p.Ref()] = c.line
			}
		}
		if !c.bad {
			rows = append(rows, PostRow{Line: c.line, Post: p})
		}
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// rowCells is one data row, well shaped, handed to a file kind's checks.
type rowCells struct {
	line   int
	header []string // the expected header the file matched
	cells  []string // trimmed, NFC
	broken []bool   // cells already reported (bad UTF-8, control characters)
	errs   *errorList
	bad    bool // the row has a problem: it is not returned
}

// value returns the cell of col, and false when the file has no such
// column or the cell was already reported.
func (c *rowCells) value(col string) (string, bool) {
	for i, h := range c.header {
		if h == col {
			return c.cells[i], !c.broken[i]
		}
	}
	return "", false
}

// code returns the cell of col if it is n digits, and reports it
// otherwise.
func (c *rowCells) code(col string, n int) string {
	v, ok := c.value(col)
	switch {
	case !ok:
		return ""
	case v == "":
		c.fail(col, ProblemEmptyValue, "")
		return ""
	case len(v) != n || !allDigits(v):
		c.fail(col, ProblemBadCode, v)
		return ""
	}
	return v
}

// text returns the cell of col, reporting it when required and empty.
func (c *rowCells) text(col string, required bool) string {
	v, ok := c.value(col)
	if ok && required && v == "" {
		c.fail(col, ProblemEmptyValue, "")
	}
	return v
}

func (c *rowCells) fail(col string, p Problem, v string) {
	c.bad = true
	c.errs.add(ImportError{Line: c.line, Column: col, Problem: p, Value: quoteBack(v)})
}

func (c *rowCells) clash(col string, p Problem, v string, first int) {
	c.bad = true
	c.errs.add(ImportError{Line: c.line, Column: col, Problem: p, Value: quoteBack(v), FirstLine: first})
}

// errorList collects problems up to MaxImportErrors.
type errorList struct{ list ImportErrors }

func (l *errorList) add(e ImportError) {
	if !l.full() {
		l.list = append(l.list, e)
	}
}

func (l *errorList) full() bool { return len(l.list) >= MaxImportErrors }

// readTable reads an import file whose header must be one of headers, and
// hands each well-shaped data row to check, in order. It returns the
// problems found by itself and by check, or the reader's error.
func readTable(r io.Reader, headers [][]string, check func(*rowCells)) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return fmt.Errorf("store: read import file: %w", err)
	}
	if len(data) > MaxImportBytes {
		return ImportErrors{{Problem: ProblemTooLarge, Value: strconv.Itoa(MaxImportBytes)}}
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return ImportErrors{{Problem: ProblemBadUTF8}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))

	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // so that a wrong count is reported by line, not as a parse error
	errs := &errorList{}
	var header []string
	rows := 0
	for !errs.full() {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs.add(ImportError{Line: pe.StartLine, Problem: ProblemBadQuotes})
			if header == nil {
				break // without a header no later line can be read
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("store: read import file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		if header == nil {
			if header = matchHeader(rec, headers, line, errs); header == nil {
				break
			}
			continue
		}
		if rows++; rows > MaxImportRows {
			errs.add(ImportError{Line: line, Problem: ProblemTooManyRows, Value: strconv.Itoa(MaxImportRows)})
			break
		}
		if size := recordBytes(rec); size > MaxRowBytes {
			errs.add(ImportError{Line: line, Problem: ProblemLineTooLong, Value: strconv.Itoa(size)})
			continue
		}
		switch {
		case len(rec) > len(header):
			errs.add(ImportError{Line: line, Problem: ProblemTooManyColumns, Value: strconv.Itoa(len(rec))})
			continue
		case len(rec) < len(header):
			errs.add(ImportError{Line: line, Problem: ProblemTooFewColumns, Value: strconv.Itoa(len(rec))})
			continue
		}
		c := &rowCells{line: line, header: header, cells: rec, broken: make([]bool, len(rec)), errs: errs}
		for i, v := range rec {
			switch {
			case !utf8.ValidString(v):
				c.broken[i] = true
				c.fail(header[i], ProblemBadUTF8, v)
			case hasControl(v):
				c.broken[i] = true
				c.fail(header[i], ProblemBadText, v)
			default:
				rec[i] = norm.NFC.String(strings.TrimSpace(v))
			}
		}
		check(c)
	}
	switch {
	case errs.full():
		errs.list = append(errs.list, ImportError{Problem: ProblemTooManyErrors, Value: strconv.Itoa(MaxImportErrors)})
	case header == nil && len(errs.list) == 0:
		errs.add(ImportError{Problem: ProblemEmptyFile})
	case header != nil && rows == 0 && len(errs.list) == 0:
		errs.add(ImportError{Problem: ProblemNoRows})
	}
	if len(errs.list) == 0 {
		return nil
	}
	// Line 0 (the file as a whole) sorts first; problems of one line stay
	// in column order.
	sort.SliceStable(errs.list, func(i, j int) bool { return errs.list[i].Line < errs.list[j].Line })
	return errs.list
}

// matchHeader returns the expected header that rec spells, or reports the
// first difference from the closest one and returns nil.
func matchHeader(rec []string, headers [][]string, line int, errs *errorList) []string {
	got := make([]string, len(rec))
	for i, v := range rec {
		got[i] = strings.ToLower(strings.TrimSpace(v))
	}
	want := headers[0]
	for _, h := range headers {
		if slices.Equal(got, h) {
			return h
		}
		// The longer header is meant when the file has at least as many
		// columns or starts like it.
		if len(got) >= len(h) || (len(got) > 0 && got[0] == h[0]) {
			want = h
		}
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	var w, g string
	if i < len(want) {
		w = want[i]
	}
	if i < len(rec) {
		g = strings.TrimSpace(rec[i])
	}
	errs.add(ImportError{Line: line, Column: w, Problem: ProblemBadHeader, Value: quoteBack(g)})
	return nil
}

func blankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func recordBytes(rec []string) int {
	n := 0
	for _, v := range rec {
		n += len(v)
	}
	return n
}

// hasControl reports a control character inside the text; surrounding
// spaces, tabs and line breaks are trimmed instead.
func hasControl(s string) bool {
	return strings.IndexFunc(strings.TrimSpace(s), unicode.IsControl) >= 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func parseSlot(s string) (int, bool) {
	if !allDigits(s) || len(s) > 2 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= MaxSlot
}

// parseDate reads a YYYY-MM-DD date as midnight in loc. Years outside
// 1950-2100 are typing mistakes in this domain.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil || t.Year() < 1950 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// quoteBack makes a value fit to show back to the user: valid UTF-8, NFC,
// no longer than maxValueRunes.
func quoteBack(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	if utf8.RuneCountInString(s) <= maxValueRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxValueRunes-1]) + "…"
}
