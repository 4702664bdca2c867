package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caxbot/caxbot/store/sheets"
)

// Problems of a units file besides those of every import file.
const (
	ProblemDuplicateUnit     Problem = "duplicate_unit"      // the same unit code twice
	ProblemUnitOtherProvince Problem = "unit_other_province" // a code another province's unit has
	ProblemUnknownProvince   Problem = "unknown_province"    // the province is not in the store yet
	ProblemBadUnitCode       Problem = "bad_unit_code"       // not ValidUnitCode
)

// UnitColumns is the header of a units file: the province's reporting
// units besides its districts (sở, ngành, the departments of the
// provincial police), one per line.
var UnitColumns = []string{"unit_code", "unit_name"}

// MaxUnitCode bounds a unit's code.
const MaxUnitCode = 16

// UnitRow is one line of a units file.
type UnitRow struct {
	Line int
	Unit ReportingUnit
}

// ValidUnitCode reports whether code can name a reporting unit: a letter
// first, then letters, digits, '-' or '_', at most MaxUnitCode bytes, in
// upper case (ParseUnitsSheet upper-cases what it reads). A letter first
// keeps a unit's code apart from every district's and commune's, which
// are digits.
func ValidUnitCode(code string) bool {
	if code == "" || len(code) > MaxUnitCode || code[0] < 'A' || code[0] > 'Z' {
		return false
	}
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// ParseUnitsSheet reads a units file of a table ReadSheet read: the
// header UnitColumns, then one unit per line. A code is read in upper case
// (snv is SNV) and must be ValidUnitCode; the same code twice is a
// problem. With problems it returns them and the rows that have none.
func ParseUnitsSheet(t *sheets.Table) ([]UnitRow, ParseNotes, error) {
	seen := make(map[string]int) // code → line
	return parseTable(t, [][]string{UnitColumns}, func(c *rowCells) (UnitRow, bool) {
		var u ReportingUnit
		if v, _ := c.value("unit_code"); v == "" {
			c.fail("unit_code", ProblemEmptyValue, "")
		} else if code := strings.ToUpper(v); !ValidUnitCode(code) {
			c.fail("unit_code", ProblemBadUnitCode, v)
		} else if first, dup := seen[code]; dup {
			c.clash("unit_code", ProblemDuplicateUnit, v, first)
		} else {
			u.Code, seen[code] = code, c.line
		}
		u.Name = c.text("unit_name", true)
		return UnitRow{Line: c.line, Unit: u}, true
	})
}

// ImportUnits adds the units of a units file to province, and renames
// those it names otherwise, in one transaction; a unit the file leaves out
// is kept, with its users and what it filed. The province must be known
// (communes imported first). A unit of another province under the same
// code is a problem on its line, and nothing is written.
func (db *DB) ImportUnits(ctx context.Context, rows []UnitRow, province, source string, at time.Time) (ImportResult, error) {
	var res ImportResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, "SELECT count(*) FROM provinces WHERE code = $1", province); err != nil {
			return fmt.Errorf("read province: %w", err)
		}
		if n == 0 {
			return ImportErrors{{Problem: ProblemUnknownProvince, Value: province}}
		}
		old, err := byCode(ctx, tx, "SELECT code, name, province_code FROM units", func(u ReportingUnit) string { return u.Code })
		if err != nil {
			return fmt.Errorf("read units: %w", err)
		}
		var bad ImportErrors
		for _, r := range rows {
			if o, ok := old[r.Unit.Code]; ok && o.ProvinceCode != province {
				bad = append(bad, ImportError{Line: r.Line, Column: "unit_code", Problem: ProblemUnitOtherProvince, Value: r.Unit.Code})
			}
		}
		if len(bad) > 0 {
			return bad
		}
		for _, r := range rows {
			u := r.Unit
			u.ProvinceCode = province
			o, ok := old[u.Code]
			switch {
			case !ok:
				res.Added++
			case o.Name != u.Name:
				res.Changed++
				if err := db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "rename_unit",
					Detail: fmt.Sprintf("%s: %s → %s", u.Code, o.Name, u.Name)}); err != nil {
					return err
				}
			default:
				res.Unchanged++
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, province_code) VALUES ($1, $2, $3)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name`, u.Code, u.Name, u.ProvinceCode); err != nil {
				return fmt.Errorf("write unit %s: %w", u.Code, err)
			}
		}
		if err := bumpRoster(ctx, tx); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "import_units",
			Detail: fmt.Sprintf("added=%d changed=%d unchanged=%d", res.Added, res.Changed, res.Unchanged)})
	})
	if err != nil {
		if _, ok := err.(ImportErrors); ok {
			return ImportResult{}, err
		}
		return ImportResult{}, fmt.Errorf("store: import units from %s: %w", source, err)
	}
	return res, nil
}

// ReportingUnits returns the reporting units in the scope, by code: a province's,
// a unit user's own, or every one; a district or a commune has none.
func (db *DB) ReportingUnits(ctx context.Context, s Scope) ([]ReportingUnit, error) {
	var a args
	var where string
	switch s.Role {
	case "", RoleNational:
		where = "1 = 1"
	case RoleProvince:
		where = "province_code = " + a.add(s.Code)
	case RoleUnit:
		where = "code = " + a.add(s.Code)
	case RoleDistrict, RoleCommune:
		return nil, nil
	default:
		return nil, fmt.Errorf("store: unknown scope role %q", s.Role)
	}
	var out []ReportingUnit
	if err := db.db.SelectContext(ctx, &out, "SELECT code, name, province_code FROM units WHERE "+where+" ORDER BY code", a...); err != nil {
		return nil, fmt.Errorf("store: list units: %w", err)
	}
	return out, nil
}

// ReportingUnit returns one reporting unit; ErrNotFound if the code is unknown.
func (db *DB) ReportingUnit(ctx context.Context, code string) (ReportingUnit, error) {
	var u ReportingUnit
	err := db.db.GetContext(ctx, &u, "SELECT code, name, province_code FROM units WHERE code = $1", code)
	if isNoRows(err) {
		return ReportingUnit{}, fmt.Errorf("store: unit %q: %w", code, ErrNotFound)
	}
	if err != nil {
		return ReportingUnit{}, fmt.Errorf("store: read unit %q: %w", code, err)
	}
	return u, nil
}

// RecordUnitSubmission records that a reporting unit filed what a
// milestone asked of the units, and reports whether this filing was the
// first: recording it again changes nothing.
func (db *DB) RecordUnitSubmission(ctx context.Context, milestoneID, unitCode, actor string, at time.Time) (bool, error) {
	res, err := db.db.ExecContext(ctx, `INSERT INTO unit_submissions (milestone_id, unit_code, actor, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (milestone_id, unit_code) DO NOTHING`, milestoneID, unitCode, actor, utc(at))
	if err != nil {
		return false, fmt.Errorf("store: record submission of unit %q for milestone %q: %w", unitCode, milestoneID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: record submission of unit %q for milestone %q: %w", unitCode, milestoneID, err)
	}
	return n > 0, nil
}
