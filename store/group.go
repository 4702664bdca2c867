package store

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jmoiron/sqlx"
)

// GroupColumns is the header of a group file: one commune per line, its
// name optional (for the person who edits the file; it is not checked).
var (
	GroupColumns         = []string{"commune_code"}
	GroupColumnsWithName = []string{"commune_code", "commune_name"}
)

// GroupRow is one line of a group file.
type GroupRow struct {
	Line int
	Code string
}

// ParseGroup reads a group file, such as the communes that had regular
// police in 2019, with the same rules and problem codes as the other
// imports.
func ParseGroup(r io.Reader) ([]GroupRow, error) {
	var rows []GroupRow
	seen := make(map[string]int) // code → line
	err := readTable(r, [][]string{GroupColumns, GroupColumnsWithName}, func(c *rowCells) {
		code := c.code("commune_code", 5)
		if code == "" {
			return
		}
		if first, dup := seen[code]; dup {
			c.clash("commune_code", ProblemDuplicateCommune, code, first)
			return
		}
		seen[code] = c.line
		if !c.bad {
			rows = append(rows, GroupRow{Line: c.line, Code: code})
		}
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ImportGroup replaces the named group with the communes of rows, all or
// nothing: an unknown commune is reported on its line and nothing changes.
// Added counts the communes new to the group, Changed those it lost.
func (db *DB) ImportGroup(ctx context.Context, name string, rows []GroupRow, actor string, at time.Time) (ImportResult, error) {
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	var known map[string]bool
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		known, err = db.existingCommunes(ctx, tx, codes)
		return err
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import group %q: %w", name, err)
	}
	var bad ImportErrors
	for _, r := range rows {
		if !known[r.Code] {
			bad = append(bad, ImportError{Line: r.Line, Column: "commune_code", Problem: ProblemUnknownCommune, Value: r.Code})
		}
	}
	if len(bad) > 0 {
		return ImportResult{}, bad
	}
	groups, err := db.Groups(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	before := groups[name]
	var res ImportResult
	for _, c := range codes {
		if before[c] {
			res.Unchanged++
		} else {
			res.Added++
		}
	}
	res.Changed = len(before) - res.Unchanged
	if err := db.SetGroup(ctx, name, codes, actor, at); err != nil {
		return ImportResult{}, err
	}
	return res, nil
}
