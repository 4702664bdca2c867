package store

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/store/sheets"
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
//	  not_utf8           the file is text in another encoding (Windows-1258,
//	                     as Excel's plain "CSV" saves it on Vietnamese Windows);
//	                     Line is the first line that is not UTF-8
//	  old_excel          an .xls workbook (Excel 97-2003), or an encrypted one
//	  bad_workbook       an .xlsx that cannot be read
//	  unknown_sheet      the sheet asked for is not in the workbook
//	A cell (CSV) or a field (plan):
//	  empty_value        a required value is missing
//	  bad_text           a control character (tab, line break, ...) in a text
//	  bad_code           not an administrative code: digits only, 2 for a
//	                     province, 3 for a district, 5 for a commune
//	  unknown_type       not xã, phường or thị trấn
//	  unknown_kind       a post that is not chief, deputy or officer
//	  bad_slot           not a whole number from 1 to MaxSlot; a chief's slot must be 1
//	  unknown_status     not regular, semi or vacant
//	  bad_date           not a date (YYYY-MM-DD or DD/MM/YYYY)
//	  no_such_day        written as a date, but no such day ("31/02/2025")
//	  date_out_of_range  a date whose year is outside 1950-2100
//	  holder_for_vacant  a vacant post with a holder's name
//	  since_for_vacant   a vacant post with a since date
//	  bad_telegram_id    not a positive whole number
//	  unknown_role       not a role Role.Valid accepts
//	Across lines (FirstLine is the earlier line):
//	  duplicate_slot     the same (commune, post, slot) twice
//	  duplicate_commune  the same commune code twice
//	  duplicate_user     the same Telegram id twice
//	  conflicting_names  one district (or province) code with two names
//	  conflicting_province  one district code under two provinces
//	Checked by the database import, not here:
//	  unknown_commune    a post of a commune the store does not know
//	  unknown_scope      a user's scope is not a place of the role's level
//	  outside_scope      a person to invite is outside the scope asked for
//	  name_mismatch      a group file's commune_name is not the name of the
//	                     commune its code names; Value is that commune
//
// The plan file's own codes are listed with ParsePlan; DB.CheckPlan adds
// unknown_group (a group the store does not have, or an empty one) and
// no_communes (a milestone about no commune of the store).
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
	ProblemNoSuchDay           Problem = "no_such_day"
	ProblemDateOutOfRange      Problem = "date_out_of_range"
	ProblemHolderForVacant     Problem = "holder_for_vacant"
	ProblemSinceForVacant      Problem = "since_for_vacant"
	ProblemDuplicateSlot       Problem = "duplicate_slot"
	ProblemDuplicateCommune    Problem = "duplicate_commune"
	ProblemConflictingNames    Problem = "conflicting_names"
	ProblemConflictingProvince Problem = "conflicting_province"
	ProblemUnknownCommune      Problem = "unknown_commune"
	ProblemNotUTF8             Problem = "not_utf8"
	ProblemOldExcel            Problem = "old_excel"
	ProblemBadWorkbook         Problem = "bad_workbook"
	ProblemUnknownSheet        Problem = "unknown_sheet"
	ProblemNameMismatch        Problem = "name_mismatch"
	ProblemBadTelegramID       Problem = "bad_telegram_id"
	ProblemDuplicateUser       Problem = "duplicate_user"
	ProblemUnknownRole         Problem = "unknown_role"
	ProblemUnknownScope        Problem = "unknown_scope"
	ProblemOutsideScope        Problem = "outside_scope"
	ProblemUnknownGroup        Problem = "unknown_group"
	ProblemNoCommunes          Problem = "no_communes"
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
	return parseReader(r, ParseCommunesSheet)
}

// ParseCommunesSheet is ParseCommunes of a table ReadSheet read. With
// problems it returns them and the rows that have none.
func ParseCommunesSheet(t *sheets.Table) ([]CommuneRow, ParseNotes, error) {
	type seen struct {
		name, parent string
		line         int
	}
	communes := make(map[string]int) // code → line
	districts := make(map[string]seen)
	provinces := make(map[string]seen)

	headers := [][]string{CommuneColumns, append(append([]string(nil), ProvinceColumns...), CommuneColumns...)}
	return parseTable(t, headers, func(c *rowCells) (CommuneRow, bool) {
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
		return row, true
	})
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
	return parseReader(r, ParsePostsSheet)
}

// ParsePostsSheet is ParsePosts of a table ReadSheet read. With problems
// it returns them and the rows that have none.
func ParsePostsSheet(t *sheets.Table) ([]PostRow, ParseNotes, error) {
	slots := make(map[PostRef]int) // → line
	return parseTable(t, [][]string{PostColumns}, func(c *rowCells) (PostRow, bool) {
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
				c.fail("since", dateProblem(v), v)
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
		return PostRow{Line: c.line, Post: p}, true
	})
}

// rowCells is one data row, well shaped, handed to a file kind's checks.
type rowCells struct {
	line   int
	header []string // the expected header the file matched
	cells  []string // trimmed, NFC
	broken []bool   // cells already reported (bad UTF-8, control characters)
	errs   *errorList
	notes  *ParseNotes
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
// otherwise. Fewer digits are a code whose leading zeros a spreadsheet
// dropped, as it does to a code typed as a number: they are put back and
// counted in the notes.
func (c *rowCells) code(col string, n int) string {
	v, ok := c.value(col)
	if !ok {
		return ""
	}
	return c.codeOf(col, v, n)
}

// codeOf is code of one value v of col (a cell may list several codes).
func (c *rowCells) codeOf(col, v string, n int) string {
	switch {
	case v == "":
		c.fail(col, ProblemEmptyValue, "")
		return ""
	case len(v) > n || !allDigits(v):
		c.fail(col, ProblemBadCode, v)
		return ""
	case len(v) < n:
		padded := strings.Repeat("0", n-len(v)) + v
		if c.notes.RestoredCodes == 0 {
			c.notes.RestoredFrom, c.notes.RestoredTo = v, padded
		}
		c.notes.RestoredCodes++
		return padded
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

// ReadSheet reads an import file, CSV or XLSX (the named sheet, or the
// first), within MaxImportBytes. What is wrong with the file as a whole
// comes back as ImportErrors on line 0 (or the first line that is not
// UTF-8); other errors are the reader's.
func ReadSheet(r io.Reader, sheet string) (*sheets.Table, error) {
	t, err := sheets.Read(r, sheets.Options{Sheet: sheet, MaxBytes: MaxImportBytes})
	var se *sheets.Error
	if !errors.As(err, &se) {
		return t, err
	}
	e := ImportError{Line: se.Line, Value: quoteBack(se.Value)}
	switch se.Kind {
	case sheets.KindTooLarge:
		e.Problem = ProblemTooLarge
	case sheets.KindUTF16:
		e.Problem = ProblemBadUTF8
	case sheets.KindNotUTF8:
		e.Problem = ProblemNotUTF8
	case sheets.KindOldExcel:
		e.Problem = ProblemOldExcel
	case sheets.KindBadWorkbook:
		e.Problem = ProblemBadWorkbook
	case sheets.KindUnknownSheet:
		e.Problem = ProblemUnknownSheet
	default:
		return nil, err
	}
	return nil, ImportErrors{e}
}

// ParseNotes says what parsing did to a file's values beyond reading
// them, for the import's summary.
type ParseNotes struct {
	// RestoredCodes counts the codes whose leading zeros a spreadsheet
	// had dropped (a code typed as a number: 4828 for commune 04828),
	// restored to their fixed width; RestoredFrom and RestoredTo are the
	// first of them.
	RestoredCodes            int
	RestoredFrom, RestoredTo string
}

// parseReader reads a file with ReadSheet and parses it, returning rows
// only when the file has no problem.
func parseReader[T any](r io.Reader, parse func(*sheets.Table) ([]T, ParseNotes, error)) ([]T, error) {
	t, err := ReadSheet(r, "")
	if err != nil {
		return nil, err
	}
	rows, _, err := parse(t)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// parseTable parses t, whose header must be one of headers, into rows by
// check, collecting every problem of the file. With problems it returns
// them and the rows that have none, so that a caller can check those
// further (against the store) and report everything at once.
func parseTable[T any](t *sheets.Table, headers [][]string, check func(*rowCells) (T, bool)) ([]T, ParseNotes, error) {
	var rows []T
	var notes ParseNotes
	errs := readTable(t, headers, &notes, func(c *rowCells) {
		if row, ok := check(c); ok && !c.bad {
			rows = append(rows, row)
		}
	})
	if len(errs) > 0 {
		return rows, notes, errs
	}
	return rows, notes, nil
}

// readTable hands each well-shaped data row of t, whose header must be
// one of headers, to check, in order. It returns the problems found by
// itself and by check.
func readTable(t *sheets.Table, headers [][]string, notes *ParseNotes, check func(*rowCells)) ImportErrors {
	errs := &errorList{}
	for _, line := range t.BadQuotes {
		errs.add(ImportError{Line: line, Problem: ProblemBadQuotes})
	}
	var header []string
	rows := 0
	for _, row := range t.Rows {
		if errs.full() {
			break
		}
		rec, line := row.Cells, row.Line
		if blankRecord(rec) {
			continue
		}
		if header == nil {
			if header = matchHeader(trimBlankTail(rec, 0), headers, line, errs); header == nil {
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
		// A spreadsheet saves blank cells past the header when another
		// row has something there, and an XLSX row stops at its last
		// cell that is not blank.
		rec = trimBlankTail(rec, len(header))
		if t.Format == sheets.XLSX {
			for len(rec) < len(header) {
				rec = append(rec, "")
			}
		}
		switch {
		case len(rec) > len(header):
			errs.add(ImportError{Line: line, Problem: ProblemTooManyColumns, Value: strconv.Itoa(len(rec))})
			continue
		case len(rec) < len(header):
			errs.add(ImportError{Line: line, Problem: ProblemTooFewColumns, Value: strconv.Itoa(len(rec))})
			continue
		}
		c := &rowCells{line: line, header: header, cells: rec, broken: make([]bool, len(rec)), errs: errs, notes: notes}
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

// trimBlankTail drops blank cells at the end of rec beyond the first keep.
func trimBlankTail(rec []string, keep int) []string {
	for len(rec) > keep && strings.TrimSpace(rec[len(rec)-1]) == "" {
		rec = rec[:len(rec)-1]
	}
	return rec
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

// dateLayouts are the ways a date is written in an import file: ISO, and
// the Vietnamese day first (15/03/2020, 5/3/2020, 15-03-2020, 15.03.2020).
var dateLayouts = []string{time.DateOnly, "2/1/2006", "2-1-2006", "2.1.2006"}

// parseDate reads a date as midnight in loc. Years outside 1950-2100 are
// typing mistakes in this domain. A date it refuses is named by
// dateProblem.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range dateLayouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err == nil {
			return t, t.Year() >= 1950 && t.Year() <= 2100
		}
	}
	return time.Time{}, false
}

// dateShape is a date written as one of dateLayouts, whether or not the
// day exists.
var dateShape = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}|\d{1,2}([/.-])\d{1,2}([/.-])\d{4})$`)

// dateProblem says what is wrong with a date parseDate refused: a day
// that does not exist ("31/02/2025"), a year out of range, or a shape it
// does not read. Every import names its dates' problems with it.
func dateProblem(s string) Problem {
	m := dateShape.FindStringSubmatch(s)
	if m == nil || m[2] != m[3] {
		return ProblemBadDate
	}
	year, _ := strconv.Atoi(s[len(s)-4:])
	if m[2] == "" {
		year, _ = strconv.Atoi(s[:4])
	}
	if year < 1950 || year > 2100 {
		return ProblemDateOutOfRange
	}
	return ProblemNoSuchDay
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
