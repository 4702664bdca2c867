package store

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/store/sheets"
)

// GroupColumns is the header of a group file: one commune per line, its
// name optional (for the person who edits the file; it is not checked).
var (
	GroupColumns         = []string{"commune_code"}
	GroupColumnsWithName = []string{"commune_code", "commune_name"}
)

// GroupRow is one line of a group file; Name is the commune's name as
// the file gives it, if it does.
type GroupRow struct {
	Line int
	Code string
	Name string
}

// ParseGroup reads a group file, such as the communes that had regular
// police in 2019, with the same rules and problem codes as the other
// imports.
func ParseGroup(r io.Reader) ([]GroupRow, error) {
	return parseReader(r, ParseGroupSheet)
}

// ParseGroupSheet is ParseGroup of a table ReadSheet read. With problems
// it returns them and the rows that have none.
func ParseGroupSheet(t *sheets.Table) ([]GroupRow, ParseNotes, error) {
	seen := make(map[string]int) // code → line
	return parseTable(t, [][]string{GroupColumns, GroupColumnsWithName}, func(c *rowCells) (GroupRow, bool) {
		code := c.code("commune_code", 5)
		if code == "" {
			return GroupRow{}, false
		}
		if first, dup := seen[code]; dup {
			c.clash("commune_code", ProblemDuplicateCommune, code, first)
			return GroupRow{}, false
		}
		seen[code] = c.line
		name, _ := c.value("commune_name")
		return GroupRow{Line: c.line, Code: code, Name: name}, true
	})
}

// GroupResult is what an import did to a group: the communes it added,
// removed and kept, by code.
type GroupResult struct {
	Added, Removed, Kept []string
}

// ImportGroup replaces the named group with the communes of rows, all or
// nothing: an unknown commune, or a name that is not the name of its
// code's commune (compared without case, diacritics or the unit's type),
// is reported on its line and nothing changes.
func (db *DB) ImportGroup(ctx context.Context, name string, rows []GroupRow, actor string, at time.Time) (GroupResult, error) {
	bad, err := db.CheckGroupRows(ctx, rows)
	if err != nil {
		return GroupResult{}, fmt.Errorf("store: import group %q: %w", name, err)
	}
	if len(bad) > 0 {
		return GroupResult{}, bad
	}
	groups, err := db.Groups(ctx)
	if err != nil {
		return GroupResult{}, err
	}
	before := groups[name]
	var res GroupResult
	codes := make([]string, len(rows))
	in := make(map[string]bool, len(rows))
	for i, r := range rows {
		codes[i], in[r.Code] = r.Code, true
		if before[r.Code] {
			res.Kept = append(res.Kept, r.Code)
		} else {
			res.Added = append(res.Added, r.Code)
		}
	}
	for c := range before {
		if !in[c] {
			res.Removed = append(res.Removed, c)
		}
	}
	slices.Sort(res.Removed)
	if err := db.SetGroup(ctx, name, codes, actor, at); err != nil {
		return GroupResult{}, err
	}
	return res, nil
}

// CheckGroupRows reports the rows of a group file whose commune is
// unknown, or whose name is not that commune's.
func (db *DB) CheckGroupRows(ctx context.Context, rows []GroupRow) (ImportErrors, error) {
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	communes, err := db.communesByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	var bad ImportErrors
	for _, r := range rows {
		c, ok := communes[r.Code]
		switch {
		case !ok:
			bad = append(bad, ImportError{Line: r.Line, Column: "commune_code", Problem: ProblemUnknownCommune, Value: r.Code})
		case r.Name != "" && !SameUnitName(r.Name, c):
			bad = append(bad, ImportError{Line: r.Line, Column: "commune_name", Problem: ProblemNameMismatch,
				Value: quoteBack(string(c.Type) + " " + c.Name)})
		}
	}
	return bad, nil
}

// communesByCode reads the communes of the given codes that exist.
func (db *DB) communesByCode(ctx context.Context, codes []string) (map[string]Commune, error) {
	codes = slices.Clone(codes)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	out := make(map[string]Commune, len(codes))
	for chunk := range slices.Chunk(codes, 500) {
		a := db.bulkArgs()
		var found []Commune
		if err := db.db.SelectContext(ctx, &found, "SELECT code, name, type, district_code FROM communes WHERE code IN ("+list(a, chunk)+")", a.args...); err != nil {
			return nil, fmt.Errorf("look up communes: %w", err)
		}
		for _, c := range found {
			out[c.Code] = c
		}
	}
	return out, nil
}

// KnownCommunes returns which of the codes are communes of the store.
func (db *DB) KnownCommunes(ctx context.Context, codes []string) (map[string]bool, error) {
	communes, err := db.communesByCode(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	known := make(map[string]bool, len(communes))
	for c := range communes {
		known[c] = true
	}
	return known, nil
}

// SameUnitName reports whether name, as a person wrote it, names the
// commune: "Tân Lập", "xã Tân Lập", "XA TAN LAP" and "Tan Lap" all name
// xã Tân Lập.
func SameUnitName(name string, c Commune) bool {
	n := foldName(name)
	t := foldName(string(c.Type))
	n = strings.TrimSpace(strings.TrimPrefix(n, t+" "))
	return n == foldName(c.Name)
}

// foldName lower-cases a name and takes its diacritics off (đ included),
// with single spaces.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
