package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// ImportResult counts what an import did to the communes or posts it
// lists; districts and provinces follow along uncounted.
type ImportResult struct {
	Added, Changed, Unchanged int
}

// ImportCommunes brings the districts and communes of a communes file into
// the store, in one transaction. Rows without a province (the one-province
// file) belong to defaultProvince. Renamed districts and communes are
// updated and audited; nothing is deleted. Importing the same rows twice
// changes nothing the second time.
func (db *DB) ImportCommunes(ctx context.Context, rows []CommuneRow, defaultProvince Province, source string, at time.Time) (ImportResult, error) {
	var problems ImportErrors
	provinces := make(map[string]Province)
	districts := make(map[string]District)
	for _, r := range rows {
		p := Province{Code: r.ProvinceCode, Name: r.ProvinceName}
		if p.Code == "" {
			p = defaultProvince
		}
		if p.Code == "" || p.Name == "" {
			problems = append(problems, ImportError{Line: r.Line, Column: "province_code", Problem: ProblemEmptyValue})
			continue
		}
		provinces[p.Code] = p
		districts[r.DistrictCode] = District{Code: r.DistrictCode, Name: r.DistrictName, ProvinceCode: p.Code}
	}
	if len(problems) > 0 {
		return ImportResult{}, problems
	}

	var res ImportResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		oldProvinces, err := byCode(ctx, tx, "SELECT code, name FROM provinces", func(p Province) string { return p.Code })
		if err != nil {
			return fmt.Errorf("read provinces: %w", err)
		}
		oldDistricts, err := byCode(ctx, tx, "SELECT code, name, province_code FROM districts", func(d District) string { return d.Code })
		if err != nil {
			return fmt.Errorf("read districts: %w", err)
		}
		oldCommunes, err := byCode(ctx, tx, "SELECT code, name, type, district_code FROM communes", func(c Commune) string { return c.Code })
		if err != nil {
			return fmt.Errorf("read communes: %w", err)
		}
		// A commune or district a map change ended is not brought back by
		// an older list: its successor holds its posts and users now.
		var endedCommunes, endedDistricts []string
		if err := tx.SelectContext(ctx, &endedCommunes, "SELECT code FROM communes WHERE valid_to IS NOT NULL"); err != nil {
			return fmt.Errorf("read ended communes: %w", err)
		}
		if err := tx.SelectContext(ctx, &endedDistricts, "SELECT code FROM districts WHERE valid_to IS NOT NULL"); err != nil {
			return fmt.Errorf("read ended districts: %w", err)
		}
		ended := make(map[string]bool, len(endedCommunes)+len(endedDistricts))
		for _, c := range endedCommunes {
			ended["c"+c] = true
		}
		for _, d := range endedDistricts {
			ended["d"+d] = true
		}
		var gone ImportErrors
		for _, r := range rows {
			if ended["c"+r.Code] {
				gone = append(gone, ImportError{Line: r.Line, Column: "commune_code", Problem: ProblemUnitGone, Value: r.Code})
			} else if ended["d"+r.DistrictCode] {
				gone = append(gone, ImportError{Line: r.Line, Column: "district_code", Problem: ProblemUnitGone, Value: r.DistrictCode})
			}
		}
		if len(gone) > 0 {
			return gone
		}
		var renames []AuditEntry
		rename := func(action, code, from, to string) {
			renames = append(renames, AuditEntry{At: at, Actor: "import:" + source, Action: action,
				Detail: fmt.Sprintf("%s: %s → %s", code, from, to)})
		}

		var newProvinces []Province
		for _, p := range sortedValues(provinces) {
			old, ok := oldProvinces[p.Code]
			switch {
			case !ok:
				newProvinces = append(newProvinces, p)
			case old.Name != p.Name:
				newProvinces = append(newProvinces, p)
				rename("rename_province", p.Code, old.Name, p.Name)
			}
		}
		var newDistricts []District
		for _, d := range sortedValues(districts) {
			old, ok := oldDistricts[d.Code]
			switch {
			case !ok:
				newDistricts = append(newDistricts, d)
			case old != d:
				newDistricts = append(newDistricts, d)
				if old.Name != d.Name {
					rename("rename_district", d.Code, old.Name, d.Name)
				}
			}
		}
		var newCommunes []Commune
		for _, r := range rows {
			c := Commune{Code: r.Code, Name: r.Name, Type: r.Type, DistrictCode: r.DistrictCode}
			old, ok := oldCommunes[c.Code]
			switch {
			case !ok:
				res.Added++
				newCommunes = append(newCommunes, c)
			case old != c:
				res.Changed++
				newCommunes = append(newCommunes, c)
				if old.Name != c.Name {
					rename("rename_commune", c.Code, old.Name, c.Name)
				}
			default:
				res.Unchanged++
			}
		}

		if err := upsertRows(ctx, db, tx, "provinces", []string{"code", "name"}, "code", newProvinces,
			func(p Province) []any { return []any{p.Code, p.Name} }); err != nil {
			return err
		}
		if err := upsertRows(ctx, db, tx, "districts", []string{"code", "name", "province_code"}, "code", newDistricts,
			func(d District) []any { return []any{d.Code, d.Name, d.ProvinceCode} }); err != nil {
			return err
		}
		if err := upsertRows(ctx, db, tx, "communes", []string{"code", "name", "type", "district_code"}, "code", newCommunes,
			func(c Commune) []any { return []any{c.Code, c.Name, c.Type, c.DistrictCode} }); err != nil {
			return err
		}
		for _, e := range renames {
			if err := db.audit(ctx, tx, e); err != nil {
				return err
			}
		}
		if err := bumpRoster(ctx, tx); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "import_communes",
			Detail: fmt.Sprintf("added=%d changed=%d unchanged=%d", res.Added, res.Changed, res.Unchanged)})
	})
	if ie, ok := err.(ImportErrors); ok {
		return ImportResult{}, ie
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import communes from %s: %w", source, err)
	}
	db.analyze(ctx, "provinces", "districts", "communes")
	db.logger.Info("communes imported", "source", source, "added", res.Added, "changed", res.Changed, "unchanged", res.Unchanged)
	return res, nil
}

// ImportPosts brings the posts of a posts file into the store, in one
// transaction, writing a report for every post it adds or changes (actor
// "import:<source>", source "<source>:<line>"). Posts the file does not
// list are left as they are. A row of an unknown commune fails the whole
// import, with every such line reported.
func (db *DB) ImportPosts(ctx context.Context, rows []PostRow, source string, at time.Time) (ImportResult, error) {
	var problems ImportErrors
	seen := make(map[PostRef]int, len(rows))
	codes := make([]string, 0, len(rows))
	rows = slices.Clone(rows) // holders are stored as CleanHolder gives them
	for i := range rows {
		r := &rows[i]
		name, err := CleanHolder(r.Post.Holder)
		var he *HolderError
		if errors.As(err, &he) {
			problems = append(problems, ImportError{Line: r.Line, Column: "holder", Problem: he.Problem, Value: he.Value})
		}
		r.Post.Holder = name
		ref := r.Post.Ref()
		switch {
		case !r.Post.Kind.Valid():
			problems = append(problems, ImportError{Line: r.Line, Column: "post", Problem: ProblemUnknownKind, Value: string(r.Post.Kind)})
		case r.Post.Slot < 1:
			problems = append(problems, ImportError{Line: r.Line, Column: "slot", Problem: ProblemBadSlot, Value: fmt.Sprint(r.Post.Slot)})
		case !r.Post.Status.Valid():
			problems = append(problems, ImportError{Line: r.Line, Column: "status", Problem: ProblemUnknownStatus, Value: string(r.Post.Status)})
		}
		if first, dup := seen[ref]; dup {
			problems = append(problems, ImportError{Line: r.Line, Column: "slot", Problem: ProblemDuplicateSlot, Value: ref.String(), FirstLine: first})
		} else {
			seen[ref] = r.Line
		}
		codes = append(codes, ref.CommuneCode)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)

	var res ImportResult
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		known, err := db.existingCommunes(ctx, tx, codes)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if !known[r.Post.CommuneCode] {
				problems = append(problems, ImportError{Line: r.Line, Column: "commune_code", Problem: ProblemUnknownCommune, Value: r.Post.CommuneCode})
			}
		}
		if len(problems) > 0 {
			slices.SortStableFunc(problems, func(a, b ImportError) int { return a.Line - b.Line })
			return problems
		}
		current, err := db.postsOfCommunes(ctx, tx, codes)
		if err != nil {
			return err
		}
		var changed []Post
		var reports []Report
		for _, r := range rows {
			next := r.Post
			next.Since = day(next.Since)
			old, ok := current[next.Ref()]
			if ok && old.Status == next.Status && old.Holder == next.Holder && sameDay(old.Since, next.Since) {
				res.Unchanged++
				continue
			}
			rep := Report{CommuneCode: next.CommuneCode, Kind: next.Kind, Slot: next.Slot,
				NewStatus: next.Status, NewHolder: next.Holder, Since: next.Since,
				Actor: "import:" + source, Source: fmt.Sprintf("%s:%d", source, r.Line), At: at}
			if ok {
				res.Changed++
				rep.OldStatus, rep.OldHolder = old.Status, old.Holder
			} else {
				res.Added++
			}
			changed = append(changed, next)
			reports = append(reports, rep)
		}
		if err := db.upsertPosts(ctx, tx, changed); err != nil {
			return err
		}
		if err := db.insertReports(ctx, tx, reports); err != nil {
			return err
		}
		return db.audit(ctx, tx, AuditEntry{At: at, Actor: "import:" + source, Action: "import_posts",
			Detail: fmt.Sprintf("added=%d changed=%d unchanged=%d", res.Added, res.Changed, res.Unchanged)})
	})
	if err != nil {
		if _, ok := err.(ImportErrors); ok {
			return ImportResult{}, err
		}
		return ImportResult{}, fmt.Errorf("store: import posts from %s: %w", source, err)
	}
	db.analyze(ctx, "posts", "reports")
	db.logger.Info("posts imported", "source", source, "added", res.Added, "changed", res.Changed, "unchanged", res.Unchanged)
	return res, nil
}

// postsOfCommunes reads the current posts of the given communes.
func (db *DB) postsOfCommunes(ctx context.Context, tx *sqlx.Tx, codes []string) (map[PostRef]Post, error) {
	out := make(map[PostRef]Post)
	for chunk := range slices.Chunk(codes, batchRows) {
		a := db.bulkArgs()
		var rows []postRow
		q := "SELECT commune_code, kind, slot, status, holder, since FROM posts WHERE commune_code IN (" + list(a, chunk) + ")"
		if err := tx.SelectContext(ctx, &rows, q, a.args...); err != nil {
			return nil, fmt.Errorf("read posts: %w", err)
		}
		for _, r := range rows {
			p, err := r.post()
			if err != nil {
				return nil, err
			}
			out[p.Ref()] = p
		}
	}
	return out, nil
}

// upsertRows writes rows into table with multi-row INSERT ... ON CONFLICT
// statements that overwrite every column but the key.
func upsertRows[T any](ctx context.Context, db *DB, tx *sqlx.Tx, table string, columns []string, key string, rows []T, values func(T) []any) error {
	var set []string
	for _, c := range columns {
		if c != key {
			set = append(set, c+" = excluded."+c)
		}
	}
	for chunk := range slices.Chunk(rows, batchRows) {
		a := db.bulkArgs()
		tuples := make([]string, len(chunk))
		for i, r := range chunk {
			tuples[i] = "(" + list(a, values(r)) + ")"
		}
		q := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " + strings.Join(tuples, ", ") +
			" ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(set, ", ")
		if _, err := tx.ExecContext(ctx, q, a.args...); err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
	}
	return nil
}

func sortedValues[T any](m map[string]T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// byCode reads every row of a query into a map by code.
func byCode[T any](ctx context.Context, tx *sqlx.Tx, q string, code func(T) string) (map[string]T, error) {
	var rows []T
	if err := tx.SelectContext(ctx, &rows, q); err != nil {
		return nil, err
	}
	out := make(map[string]T, len(rows))
	for _, r := range rows {
		out[code(r)] = r
	}
	return out, nil
}

// analyze vacuums the imported tables and refreshes Postgres's
// statistics after a bulk import. Until autovacuum gets round to it the
// planner would guess, and for the vacancy query on a fresh national
// roster it guesses a sequential scan of every post (17 ms instead of
// 0.3 ms); and autovacuum, woken by the inserts, would then vacuum the new
// rows at a moment of its choosing, under the bot's load. VACUUM only
// reads the pages not yet marked all-visible, so later imports cost what
// they added. The import has committed by now, so a failure here only
// costs speed and is logged, not returned.
func (db *DB) analyze(ctx context.Context, tables ...string) {
	if db.dialect != DialectPostgres {
		return
	}
	if _, err := db.db.ExecContext(ctx, "VACUUM (ANALYZE) "+strings.Join(tables, ", ")); err != nil {
		db.logger.Warn("vacuum after import failed", "tables", tables, "err", err)
	}
}
