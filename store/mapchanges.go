package store

import (
	"io"
	"strings"
	"time"

	"github.com/caxbot/caxbot/store/sheets"
)

// The problems of a change file (see Problem), besides those of every
// import file:
//
//	unknown_change       kind is not a ChangeKind
//	code_twice           a code listed twice in one old_codes cell
//	too_few_codes        a merge of fewer than two communes
//	too_many_codes       a split or rename of more than one commune
//	not_for_change       a cell the line's kind does not use is not empty
//	Checked by ImportMapChanges against the store and the lines before:
//	code_reused          new_code is, or was, another unit's code
//	unknown_district     district_code (or an abolished district) is not a
//	                     district the store has now
//	unit_gone            a commune or district of old_codes is not on the map
//	                     on that date (never was, or an earlier change ended it)
//	future_date          effective is after today: a change is imported once it
//	                     has taken effect
//	before_last_change   effective is before a change already imported
//	mixed_districts      a merge or split of communes of several districts with
//	                     no district_code to say where the new unit belongs
//	code_made            new_code is the code a line above made (FirstLine)
//	already_imported     the line is one an earlier import applied, in a file
//	                     whose other lines are new (a file all of whose lines
//	                     were applied is no problem: importing it changes
//	                     nothing)
const (
	ProblemUnknownChange    Problem = "unknown_change"
	ProblemCodeTwice        Problem = "code_twice"
	ProblemTooFewCodes      Problem = "too_few_codes"
	ProblemTooManyCodes     Problem = "too_many_codes"
	ProblemNotForChange     Problem = "not_for_change"
	ProblemCodeReused       Problem = "code_reused"
	ProblemUnknownDistrict  Problem = "unknown_district"
	ProblemUnitGone         Problem = "unit_gone"
	ProblemFutureDate       Problem = "future_date"
	ProblemBeforeLastChange Problem = "before_last_change"
	ProblemMixedDistricts   Problem = "mixed_districts"
	ProblemCodeMade         Problem = "code_made"
	ProblemAlreadyImported  Problem = "already_imported"
)

// ChangeKind is what a line of a change file does to the administrative
// map.
type ChangeKind string

const (
	// ChangeMerge ends the communes of old_codes and creates new_code,
	// which takes over their posts, reports, users and groups.
	ChangeMerge ChangeKind = "merge"
	// ChangeSplit ends the one commune of old_codes and creates new_code
	// as one of its parts, a line per part: the first line's part takes
	// over its posts, reports, users and groups.
	ChangeSplit ChangeKind = "split"
	// ChangeRename gives the one commune of old_codes a new name (and a
	// new type, when new_name starts with one), keeping its code.
	ChangeRename ChangeKind = "rename"
	// ChangeMove moves the communes of old_codes to district_code; a
	// district left with no commune ends, succeeded by the district its
	// communes went to.
	ChangeMove ChangeKind = "move"
	// ChangeAbolishDistrict ends the districts of old_codes (every
	// district, when empty): their communes belong to the province
	// directly, their users become the province's.
	ChangeAbolishDistrict ChangeKind = "abolish-district"
)

// Valid reports whether k is a known kind of change.
func (k ChangeKind) Valid() bool {
	switch k {
	case ChangeMerge, ChangeSplit, ChangeRename, ChangeMove, ChangeAbolishDistrict:
		return true
	}
	return false
}

// ChangeColumns is the header of a change file.
var ChangeColumns = []string{"effective", "kind", "old_codes", "new_code", "new_name", "district_code"}

// ChangeRow is one line of a change file. NewType is the type new_name
// starts with ("Phường Kỳ Sơn"), empty when it names none; NewName is
// then the name without it.
type ChangeRow struct {
	Line         int
	Effective    time.Time // midnight of the day, in the store's time zone
	Kind         ChangeKind
	OldCodes     []string
	NewCode      string
	NewName      string
	NewType      CommuneType
	DistrictCode string
}

// ParseChanges reads a change file: the header ChangeColumns, then one
// change per line. effective is a date (YYYY-MM-DD or dd/mm/yyyy); kind a
// ChangeKind; old_codes codes separated by "|" (communes, or districts for
// abolish-district); the cells a kind does not use must be empty. Whether
// the codes exist is for ImportMapChanges to check. What is accepted and how
// problems are reported is as for ParseCommunes.
func ParseChanges(r io.Reader, loc *time.Location) ([]ChangeRow, error) {
	return parseReader(r, func(t *sheets.Table) ([]ChangeRow, ParseNotes, error) { return ParseChangesSheet(t, loc) })
}

// changeUses says which of the optional cells each kind reads: new_code,
// new_name, district_code; a used cell is required, except a merge's and
// a split's district (the old communes' district by default).
var changeUses = map[ChangeKind][3]bool{
	ChangeMerge:           {true, true, true},
	ChangeSplit:           {true, true, true},
	ChangeRename:          {false, true, false},
	ChangeMove:            {false, false, true},
	ChangeAbolishDistrict: {false, false, false},
}

// ParseChangesSheet is ParseChanges of a table ReadSheet read. With
// problems it returns them and the rows that have none.
func ParseChangesSheet(t *sheets.Table, loc *time.Location) ([]ChangeRow, ParseNotes, error) {
	return parseTable(t, [][]string{ChangeColumns}, func(c *rowCells) (ChangeRow, bool) {
		row := ChangeRow{Line: c.line}
		if v, _ := c.value("effective"); v == "" {
			c.fail("effective", ProblemEmptyValue, "")
		} else if d, ok := parseDate(v, loc); !ok {
			c.fail("effective", dateProblem(v), v)
		} else {
			row.Effective = d
		}
		v, _ := c.value("kind")
		row.Kind = ChangeKind(strings.ToLower(v))
		switch {
		case v == "":
			c.fail("kind", ProblemEmptyValue, "")
			return row, false
		case !row.Kind.Valid():
			c.fail("kind", ProblemUnknownChange, v)
			return row, false
		}
		width := 5
		if row.Kind == ChangeAbolishDistrict {
			width = 3
		}
		olds, ok := c.value("old_codes")
		if ok {
			v := olds
			if v == "" && row.Kind != ChangeAbolishDistrict {
				c.fail("old_codes", ProblemEmptyValue, "")
			}
			seen := make(map[string]bool)
			for _, part := range strings.Split(v, "|") {
				part = strings.TrimSpace(part)
				if part == "" && v == "" {
					continue
				}
				code := c.codeOf("old_codes", part, width)
				if code == "" {
					continue
				}
				if seen[code] {
					c.fail("old_codes", ProblemCodeTwice, code)
				}
				seen[code] = true
				row.OldCodes = append(row.OldCodes, code)
			}
		}
		switch n := len(row.OldCodes); {
		case row.Kind == ChangeMerge && n == 1:
			c.fail("old_codes", ProblemTooFewCodes, olds)
		case (row.Kind == ChangeSplit || row.Kind == ChangeRename) && n > 1:
			c.fail("old_codes", ProblemTooManyCodes, olds)
		}
		uses := changeUses[row.Kind]
		if v, _ := c.value("new_code"); v != "" && !uses[0] {
			c.fail("new_code", ProblemNotForChange, v)
		} else if uses[0] {
			row.NewCode = c.code("new_code", 5)
		}
		if v, _ := c.value("new_name"); v != "" && !uses[1] {
			c.fail("new_name", ProblemNotForChange, v)
		} else if uses[1] {
			row.NewType, row.NewName = splitUnitType(c.text("new_name", true))
			if row.NewName == "" && v != "" {
				c.fail("new_name", ProblemEmptyValue, v)
			}
		}
		if v, _ := c.value("district_code"); v != "" && !uses[2] {
			c.fail("district_code", ProblemNotForChange, v)
		} else if v != "" || row.Kind == ChangeMove {
			row.DistrictCode = c.code("district_code", 3)
		}
		return row, true
	})
}

// splitUnitType takes the type off the front of a commune's name, as a
// change file may write it: "Phường Kỳ Sơn" is the phường Kỳ Sơn.
func splitUnitType(name string) (CommuneType, string) {
	lower := strings.ToLower(name)
	for _, t := range []CommuneType{ThiTran, Phuong, Xa} {
		if rest, ok := strings.CutPrefix(lower, string(t)+" "); ok {
			return t, strings.TrimSpace(name[len(name)-len(rest):])
		}
	}
	return "", name
}
