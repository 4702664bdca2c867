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

// Change is one person's report of a post's new state.
type Change struct {
	Ref    PostRef
	Status Status
	Holder string
	// Since is the day the holder took the post. Nil keeps the current
	// day when the holder stays (a status correction) and clears it when
	// the holder changes.
	Since  *time.Time
	Actor  string
	Source string
	At     time.Time
	// Expect, when set, is the post as the reporter saw it: if the stored
	// post's status or holder differ, someone changed it meanwhile and the
	// change is refused with ErrStale.
	Expect *Post
	// ExpectNew says the reporter saw no post in this slot: if one was
	// added meanwhile with another status or holder, the change is refused
	// with ErrStale instead of overwriting it.
	ExpectNew bool
	// Check, when set, records what stands behind the report (Details):
	// CheckReported for a commune's report that waits for its district,
	// CheckVerified for a report by the district or province itself. An
	// import leaves it empty.
	Check     Check
	Decision  Decision
	Standards Standards
}

// reportRow is a report as both drivers scan it.
type reportRow struct {
	ID          int64     `db:"id"`
	CommuneCode string    `db:"commune_code"`
	Kind        PostKind  `db:"kind"`
	Slot        int       `db:"slot"`
	OldStatus   Status    `db:"old_status"`
	NewStatus   Status    `db:"new_status"`
	OldHolder   string    `db:"old_holder"`
	NewHolder   string    `db:"new_holder"`
	Since       nullDate  `db:"since"`
	Actor       string    `db:"actor"`
	Source      string    `db:"source"`
	Carried     string    `db:"carried"`
	At          time.Time `db:"at"`
}

const reportColumns = "r.id, r.commune_code, r.kind, r.slot, r.old_status, r.new_status, r.old_holder, r.new_holder, r.since, r.actor, r.source, r.carried, r.at"

func (db *DB) reportsOf(rows []reportRow) ([]Report, error) {
	out := make([]Report, 0, len(rows))
	for _, r := range rows {
		since, err := r.Since.in(time.UTC)
		if err != nil {
			return nil, err
		}
		out = append(out, Report{
			ID: r.ID, CommuneCode: r.CommuneCode, Kind: r.Kind, Slot: r.Slot,
			OldStatus: r.OldStatus, NewStatus: r.NewStatus, OldHolder: r.OldHolder, NewHolder: r.NewHolder,
			Since: since, Actor: r.Actor, Source: r.Source, Carried: r.Carried, At: r.At.UTC(),
		})
	}
	return out, nil
}

// ApplyChange records the report and updates the post in one transaction.
// A change that changes nothing writes nothing and returns ErrNoChange.
func (db *DB) ApplyChange(ctx context.Context, ch Change) (Report, error) {
	return db.ApplyChangeAndTell(ctx, ch, nil)
}

// Teller makes the messages that tell of a report just written, given
// it with its details as CheckedReport reads them.
type Teller func(ctx context.Context, c Checked) ([]OutboxItem, error)

// ApplyChangeAndTell is ApplyChange, with the messages tell makes of the
// report written to the outbox in the same transaction (as Enqueue
// writes them): a report and the messages asking for its check are
// kept together or not at all. tell runs inside the transaction, so it
// should only read.
func (db *DB) ApplyChangeAndTell(ctx context.Context, ch Change, tell Teller) (Report, error) {
	reps, err := db.ApplyChangesAndTell(ctx, []Change{ch}, tell)
	if err != nil {
		return Report{}, err
	}
	return reps[0], nil
}

// ApplyChanges records several changes in one transaction, all or none,
// each checked and written as ApplyChange does it: a form that changes
// several posts of a commune at once. Changes that change nothing are
// left out of the reports returned; when none changes anything the
// answer is ErrNoChange. A stale change (Expect, ExpectNew) refuses them
// all with ErrStale.
func (db *DB) ApplyChanges(ctx context.Context, chs []Change) ([]Report, error) {
	return db.ApplyChangesAndTell(ctx, chs, nil)
}

// ApplyChangesAndTell is ApplyChanges, with the messages tell makes of
// each report written to the outbox in the same transaction, as
// ApplyChangeAndTell does for one.
func (db *DB) ApplyChangesAndTell(ctx context.Context, chs []Change, tell Teller) ([]Report, error) {
	checked := make([]Change, len(chs))
	for i, ch := range chs {
		var err error
		if checked[i], err = checkChange(ch); err != nil {
			return nil, err
		}
	}
	// Communes are locked in code order, so that two such batches never
	// wait on each other.
	slices.SortStableFunc(checked, func(a, b Change) int { return strings.Compare(a.Ref.CommuneCode, b.Ref.CommuneCode) })
	var out []Report
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		out = out[:0]
		var items []OutboxItem
		for _, ch := range checked {
			rep, err := db.applyChange(ctx, tx, ch)
			if errors.Is(err, ErrNoChange) {
				continue
			}
			if err != nil {
				return fmt.Errorf("post %s: %w", ch.Ref, err)
			}
			out = append(out, rep)
			if tell == nil {
				continue
			}
			its, err := db.told(ctx, tx, rep, tell)
			if err != nil {
				return err
			}
			items = append(items, its...)
		}
		if len(out) == 0 {
			return ErrNoChange
		}
		if len(items) == 0 {
			return nil
		}
		_, err := db.enqueue(ctx, tx, items)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: change %d posts: %w", len(chs), err)
	}
	return out, nil
}

// told is what tell makes of rep, read back with its details inside tx.
func (db *DB) told(ctx context.Context, tx *sqlx.Tx, rep Report, tell Teller) ([]OutboxItem, error) {
	c, err := db.inScope(ctx, tx, Scope{}, rep.ID)
	if err != nil {
		return nil, fmt.Errorf("read report %d: %w", rep.ID, err)
	}
	return tell(ctx, c)
}

// checkChange refuses a change that could never be written, and cleans
// its holder's name (CleanHolder).
func checkChange(ch Change) (Change, error) {
	ref := ch.Ref
	switch {
	case !ref.Kind.Valid():
		return ch, fmt.Errorf("store: change post %s: unknown kind %q", ref, ref.Kind)
	case ref.Slot < 1:
		return ch, fmt.Errorf("store: change post %s: slot must be at least 1", ref)
	case !ch.Status.Valid():
		return ch, fmt.Errorf("store: change post %s: unknown status %q", ref, ch.Status)
	case ch.Status == Vacant && ch.Holder != "":
		return ch, fmt.Errorf("store: change post %s: a vacant post has no holder", ref)
	case ch.Actor == "":
		return ch, fmt.Errorf("store: change post %s: no actor", ref)
	case ch.Expect != nil && ch.ExpectNew:
		return ch, fmt.Errorf("store: change post %s: expects both a post and none", ref)
	}
	holder, err := CleanHolder(ch.Holder)
	if err != nil {
		return ch, fmt.Errorf("store: change post %s: %w", ref, err)
	}
	ch.Holder = holder
	if ch.Check != "" && ch.Check != CheckReported && ch.Check != CheckVerified {
		return ch, fmt.Errorf("store: change post %s: a report starts reported or verified, not %q", ref, ch.Check)
	}
	if ch.Decision, ch.Standards, err = cleanDetails(ch.Decision, ch.Standards); err != nil {
		return ch, fmt.Errorf("store: change post %s: %w", ref, err)
	}
	return ch, nil
}

// applyChange writes one checked change inside tx: the post and its
// report.
func (db *DB) applyChange(ctx context.Context, tx *sqlx.Tx, ch Change) (Report, error) {
	ref := ch.Ref
	// Serialise changes of one commune. SQLite's BEGIN IMMEDIATE has
	// already locked the whole file; Postgres locks the commune row,
	// which also exists before the commune's first post does. NO KEY
	// keeps imports' foreign-key checks from waiting on it.
	lockCommune := "SELECT code FROM communes WHERE code = $1"
	if db.dialect == DialectPostgres {
		lockCommune += " FOR NO KEY UPDATE"
	}
	var code string
	if err := db.getPrepared(ctx, tx, &code, lockCommune, ref.CommuneCode); err != nil {
		if isNoRows(err) {
			return Report{}, fmt.Errorf("commune %q: %w", ref.CommuneCode, ErrNotFound)
		}
		return Report{}, fmt.Errorf("lock commune: %w", err)
	}
	cur, exists, err := db.currentPost(ctx, tx, ref)
	if err != nil {
		return Report{}, err
	}
	if ch.Expect != nil && (!exists || cur.Status != ch.Expect.Status || cur.Holder != ch.Expect.Holder) {
		return Report{}, ErrStale
	}
	if ch.ExpectNew && exists && (cur.Status != ch.Status || cur.Holder != ch.Holder) {
		return Report{}, ErrStale
	}
	since := ch.Since
	if since == nil && exists && cur.Holder == ch.Holder {
		since = cur.Since
	}
	if exists && cur.Status == ch.Status && cur.Holder == ch.Holder && sameDay(cur.Since, since) {
		return Report{}, ErrNoChange
	}
	next := Post{CommuneCode: ref.CommuneCode, Kind: ref.Kind, Slot: ref.Slot, Status: ch.Status, Holder: ch.Holder, Since: since}
	var pa args
	if err := db.execPrepared(ctx, tx, insertPosts+postValues(&pa, next)+onPostConflict, pa...); err != nil {
		return Report{}, fmt.Errorf("write post: %w", err)
	}
	if !exists {
		if err := db.execPrepared(ctx, tx, "UPDATE communes SET post_kinds = post_kinds | $1 WHERE code = $2",
			ref.Kind.bit(), ref.CommuneCode); err != nil {
			return Report{}, fmt.Errorf("record post kind: %w", err)
		}
	}
	rep := Report{
		CommuneCode: ref.CommuneCode, Kind: ref.Kind, Slot: ref.Slot,
		NewStatus: ch.Status, NewHolder: ch.Holder, Since: day(since),
		Actor: ch.Actor, Source: ch.Source, At: utc(ch.At),
	}
	if exists {
		rep.OldStatus, rep.OldHolder = cur.Status, cur.Holder
	}
	var a args
	if err := db.getPrepared(ctx, tx, &rep.ID, insertReport+reportValues(&a, rep)+" RETURNING id", a...); err != nil {
		return Report{}, fmt.Errorf("write report: %w", err)
	}
	if ch.Check != "" {
		if err := db.insertDetails(ctx, tx, rep.ID, ch); err != nil {
			return Report{}, fmt.Errorf("write report details: %w", err)
		}
	}
	return rep, nil
}

func (db *DB) currentPost(ctx context.Context, tx *sqlx.Tx, ref PostRef) (Post, bool, error) {
	var r postRow
	err := db.getPrepared(ctx, tx, &r, `SELECT commune_code, kind, slot, status, holder, since FROM posts
		WHERE commune_code = $1 AND kind = $2 AND slot = $3`, ref.CommuneCode, ref.Kind, ref.Slot)
	if isNoRows(err) {
		return Post{}, false, nil
	}
	if err != nil {
		return Post{}, false, fmt.Errorf("read post: %w", err)
	}
	p, err := r.post()
	return p, err == nil, err
}

// sameDay compares two optional days by their calendar date.
func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Format(dateLayout) == b.Format(dateLayout)
}

// batchRows bounds the rows of one multi-row statement, well under both
// backends' limits on bound parameters.
const batchRows = 500

const (
	insertPosts    = `INSERT INTO posts (commune_code, kind, slot, status, holder, since) VALUES `
	onPostConflict = ` ON CONFLICT (commune_code, kind, slot) DO UPDATE
		SET status = excluded.status, holder = excluded.holder, since = excluded.since`
)

func postValues(a placeholders, p Post) string {
	return "(" + list(a, []any{p.CommuneCode, p.Kind, p.Slot, p.Status, p.Holder, dateValue(p.Since)}) + ")"
}

// bit is the kind's bit in communes.post_kinds.
func (k PostKind) bit() int {
	switch k {
	case Chief:
		return 1
	case Deputy:
		return 2
	}
	return 4
}

// postKindBits lists each kind with its bit in communes.post_kinds, as a
// table for SQL.
const postKindBits = `(SELECT 'chief' AS kind, 1 AS bit UNION ALL SELECT 'deputy', 2 UNION ALL SELECT 'officer', 4)`

// upsertPosts writes posts with multi-row statements, and records their
// kinds in their communes' post_kinds.
func (db *DB) upsertPosts(ctx context.Context, tx *sqlx.Tx, posts []Post) error {
	bits := make(map[string]int)
	for _, p := range posts {
		bits[p.CommuneCode] |= p.Kind.bit()
	}
	for chunk := range slices.Chunk(posts, batchRows) {
		a := db.bulkArgs()
		values := make([]string, len(chunk))
		for i, p := range chunk {
			values[i] = postValues(a, p)
		}
		if _, err := tx.ExecContext(ctx, insertPosts+strings.Join(values, ", ")+onPostConflict, a.args...); err != nil {
			return fmt.Errorf("write posts: %w", err)
		}
	}
	// One statement per distinct set of kinds (at most seven), for all
	// the communes that get it.
	byBits := make(map[int][]string)
	for code, b := range bits {
		byBits[b] = append(byBits[b], code)
	}
	for b, codes := range byBits {
		slices.Sort(codes)
		for chunk := range slices.Chunk(codes, batchRows) {
			a := db.bulkArgs()
			bit := a.add(b)
			q := "UPDATE communes SET post_kinds = post_kinds | " + bit + " WHERE code IN (" + list(a, chunk) + ")"
			if _, err := tx.ExecContext(ctx, q, a.args...); err != nil {
				return fmt.Errorf("record post kinds: %w", err)
			}
		}
	}
	return nil
}

const insertReport = `INSERT INTO reports (commune_code, kind, slot, old_status, new_status, old_holder, new_holder, since, actor, source, carried, at) VALUES `

func reportValues(a placeholders, r Report) string {
	return "(" + list(a, []any{r.CommuneCode, r.Kind, r.Slot, r.OldStatus, r.NewStatus,
		r.OldHolder, r.NewHolder, dateValue(r.Since), r.Actor, r.Source, r.Carried, utc(r.At)}) + ")"
}

// insertReports appends reports with multi-row statements.
func (db *DB) insertReports(ctx context.Context, tx *sqlx.Tx, reports []Report) error {
	for chunk := range slices.Chunk(reports, batchRows) {
		a := db.bulkArgs()
		values := make([]string, len(chunk))
		for i, r := range chunk {
			values[i] = reportValues(a, r)
		}
		if _, err := tx.ExecContext(ctx, insertReport+strings.Join(values, ", "), a.args...); err != nil {
			return fmt.Errorf("write reports: %w", err)
		}
	}
	return nil
}

// History returns a commune's reports, newest first, at most limit (all
// when limit is 0 or less), with those of the communes it took over
// (merged into it, or split from them): a commune's history does not end
// where the map changed.
func (db *DB) History(ctx context.Context, communeCode string, limit int) ([]Report, error) {
	codes, err := db.lineage(ctx, communeCode)
	if err != nil {
		return nil, err
	}
	var a args
	q := "SELECT " + reportColumns + " FROM reports r WHERE r.commune_code IN (" + list(&a, codes) + ")" + db.recordedBefore("r.at", &a) + " ORDER BY r.at DESC, r.id DESC"
	if limit > 0 {
		q += " LIMIT " + a.add(limit)
	}
	var rows []reportRow
	if err := db.selectPrepared(ctx, nil, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: history of commune %q: %w", communeCode, err)
	}
	return db.reportsOf(rows)
}

// lineage is the commune and every commune it took over, directly or
// through others.
func (db *DB) lineage(ctx context.Context, code string) ([]string, error) {
	out := []string{code}
	for frontier := []string{code}; len(frontier) > 0; {
		var a args
		var before []string
		q := "SELECT code FROM communes WHERE successor IN (" + list(&a, frontier) + ") ORDER BY code"
		if err := db.db.SelectContext(ctx, &before, q, a...); err != nil {
			return nil, fmt.Errorf("store: communes before %s: %w", code, err)
		}
		frontier = before
		out = append(out, before...)
	}
	return out, nil
}

// ReportsBetween returns the scope's reports with from <= at < to, oldest
// first: the changes of the posts, without the reports a map change wrote
// when it carried posts to another commune (Report.Carried).
func (db *DB) ReportsBetween(ctx context.Context, s Scope, from, to time.Time) ([]Report, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + reportColumns + ` FROM reports r
		JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code
		WHERE r.at >= ` + a.add(utc(from)) + " AND r.at < " + a.add(utc(to)) + db.recordedBefore("r.at", &a) + " AND r.carried = '' AND " + where + `
		ORDER BY r.at, r.id`
	var rows []reportRow
	if err := db.db.SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: reports between %s and %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return db.reportsOf(rows)
}

// ReportsBetweenByProvince is ReportsBetween of the whole store, by the
// province of each report's commune: what ReportsBetween gives each
// province's scope, in one query. A weekly job that builds a digest per
// province reads the week's reports once, where a query per province
// read the whole country's week (by the index on the time) and kept its
// province's: 63 round trips, each 3 to 7 ms on the national roster.
func (db *DB) ReportsBetweenByProvince(ctx context.Context, from, to time.Time) (map[string][]Report, error) {
	var a args
	q := "SELECT " + reportColumns + `, d.province_code FROM reports r
		JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code
		WHERE r.at >= ` + a.add(utc(from)) + " AND r.at < " + a.add(utc(to)) + db.recordedBefore("r.at", &a) + ` AND r.carried = ''
		ORDER BY r.at, r.id`
	var rows []struct {
		reportRow
		ProvinceCode string `db:"province_code"`
	}
	if err := db.db.SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: reports between %s and %s by province: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	out := make(map[string][]Report)
	for _, row := range rows {
		reps, err := db.reportsOf([]reportRow{row.reportRow})
		if err != nil {
			return nil, err
		}
		out[row.ProvinceCode] = append(out[row.ProvinceCode], reps[0])
	}
	return out, nil
}

// LastReportID is the id of the newest report, 0 when there is none.
// Every write of a post writes a report (a report, an import, an accepted
// posting), so a reader that keeps counts of posts can tell from it, in
// one indexed read, whether they may have changed.
func (db *DB) LastReportID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.getPrepared(ctx, nil, &id, "SELECT COALESCE(max(id), 0) FROM reports"); err != nil {
		return 0, fmt.Errorf("store: last report: %w", err)
	}
	return id, nil
}

// ReportsAfter returns the reports whose id is greater than id, oldest
// first, at most limit: what changed since a reader last counted posts.
func (db *DB) ReportsAfter(ctx context.Context, id int64, limit int) ([]Report, error) {
	var rows []reportRow
	if err := db.selectPrepared(ctx, nil, &rows, "SELECT "+reportColumns+" FROM reports r WHERE r.id > $1 ORDER BY r.id LIMIT $2", id, limit); err != nil {
		return nil, fmt.Errorf("store: reports after %d: %w", id, err)
	}
	return db.reportsOf(rows)
}
