package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// CountStatusesSince counts the scope's posts as CountStatuses does, now
// and as the reports had left them at each of times (what
// AsOf(t).CountStatuses gives, in the order of times), read in one
// snapshot of the store.
//
// A past count is the present one with some posts taken out with their
// present status and put back with the status their last report before
// its time gave them: those a report reached since that time, and those
// with more than one report. Every other post has one report, written
// with it in the same transaction (every write of a post appends one),
// before that time: the post is as it left it. A past count then costs
// the posts reported on since, or more than once, each one read of the
// reports' post index, not a pass that orders every report of the scope;
// and it does not rest on reports being recorded in the order of their
// time (`caxbot chat --date` records them out of it). On a view (AsOf) it
// reads each moment through AsOf.
func (db *DB) CountStatusesSince(ctx context.Context, s Scope, times []time.Time) (now StatusCounts, past []StatusCounts, err error) {
	past = make([]StatusCounts, len(times))
	if !db.asOf.IsZero() {
		if now, err = db.CountStatuses(ctx, s); err != nil {
			return nil, nil, err
		}
		for i, t := range times {
			if past[i], err = db.AsOf(t).CountStatuses(ctx, s); err != nil {
				return nil, nil, err
			}
		}
		return now, past, nil
	}
	live, err := db.livePosts(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("store: count posts by status since: %w", err)
	}
	if live != nil {
		return db.countStatusesSinceLive(ctx, live, s, times)
	}
	return db.countStatusesSinceSQL(ctx, s, times)
}

// countStatusesSinceSQL is CountStatusesSince in SQL, for a store whose
// posts are not kept in memory.
func (db *DB) countStatusesSinceSQL(ctx context.Context, s Scope, times []time.Time) (now StatusCounts, past []StatusCounts, err error) {
	past = make([]StatusCounts, len(times))
	// The statements are prepared before the transaction takes its
	// connection: preparing one on first use takes another from the
	// pool, and transactions that each hold one of a small pool (the
	// embedded store's four) would wait on each other.
	countQuery, countArgs, err := db.countStatusesQuery(s)
	if err != nil {
		return nil, nil, err
	}
	changedQueries := make([]string, len(times))
	changedArgs := make([]args, len(times))
	for i, t := range times {
		if changedQueries[i], changedArgs[i], err = changedSinceQuery(s, t); err != nil {
			return nil, nil, err
		}
	}
	for _, q := range append([]string{countQuery}, changedQueries...) {
		if _, err := db.stmts.get(ctx, q); err != nil && !errors.Is(err, errCacheFull) {
			return nil, nil, fmt.Errorf("store: count posts by status since: %w", err)
		}
	}
	// One snapshot: a report written between the present count and the
	// reads of what changed would otherwise be put back from a state the
	// count never saw.
	opts := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	if db.dialect == DialectSQLite {
		// A read-only transaction begins deferred, not taking the write
		// lock as the store's others do (_txlock=immediate), and reads
		// one snapshot of the WAL from its first read.
		opts = &sql.TxOptions{ReadOnly: true}
	}
	tx, err := db.db.BeginTxx(ctx, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("store: count posts by status since: begin: %w", err)
	}
	defer tx.Rollback()
	if now, err = db.readStatusCounts(ctx, tx, countQuery, countArgs); err != nil {
		return nil, nil, err
	}
	for i, t := range times {
		var changed []changedPost
		if err := db.selectPrepared(ctx, tx, &changed, changedQueries[i], changedArgs[i]...); err != nil {
			return nil, nil, fmt.Errorf("store: posts reported on since %s: %w", t.Format(time.RFC3339), err)
		}
		past[i] = putBack(now, changed)
	}
	return now, past, nil
}

// changedPost is a post whose state at a moment may differ from its
// present one: its status now and as its last report before the moment
// left it ("" for none: no row, or no report yet).
type changedPost struct {
	Commune string   `db:"commune_code"`
	Kind    PostKind `db:"kind"`
	Slot    int      `db:"slot"`
	Now     Status   `db:"now_status"`
	Then    Status   `db:"then_status"`
}

// changedSinceQuery is the statement that reads the scope's posts that a
// report reached at or after t or that have more than one report, each
// with its status now and its last report's before t, and its arguments.
// It finds the posts by the scope's communes and each last report by the
// reports' post index. A post has more than one report when one of them
// has an old status: the report that creates a post has none, every later
// one has the post's.
func changedSinceQuery(s Scope, t time.Time) (string, args, error) {
	var a args
	in, and := "", " WHERE"
	if !s.All() {
		where, err := scopeWhere(s, &a)
		if err != nil {
			return "", nil, err
		}
		in, and = ` WHERE x.commune_code IN (SELECT c.code FROM communes c JOIN districts d ON d.code = c.district_code WHERE `+where+`)`, " AND"
	}
	at := a.add(utc(t))
	q := `SELECT k.commune_code, k.kind, k.slot, coalesce(p.status, '') AS now_status,
			coalesce((SELECT r.new_status FROM reports r WHERE r.commune_code = k.commune_code AND r.kind = k.kind AND r.slot = k.slot
				AND r.at < ` + at + ` ORDER BY r.at DESC, r.id DESC LIMIT 1), '') AS then_status
		FROM (
			SELECT x.commune_code, x.kind, x.slot FROM reports x` + in + and + ` x.at >= ` + at + `
			UNION
			SELECT x.commune_code, x.kind, x.slot FROM reports x` + in + and + ` x.old_status <> ''
		) k
		LEFT JOIN posts p ON p.commune_code = k.commune_code AND p.kind = k.kind AND p.slot = k.slot`
	return q, a, nil
}

// putBack returns the counts now with each changed post taken out with
// its present status and put back with its past one. Communes it changes
// are copied; the others are shared with now.
func putBack(now StatusCounts, changed []changedPost) StatusCounts {
	out := make(StatusCounts, len(now))
	for code, c := range now {
		out[code] = c
	}
	copied := make(map[string]bool)
	adjust := func(commune string, k PostKind, st Status, by int) {
		c := out[commune]
		if !copied[commune] {
			fresh := new([3][3]int)
			if c != nil {
				*fresh = *c
			}
			c = fresh
			out[commune] = c
			copied[commune] = true
		}
		c[kindIndex(k)][statusIndex(st)] += by
	}
	for _, p := range changed {
		if p.Now == p.Then {
			continue
		}
		if p.Now != "" {
			adjust(p.Commune, p.Kind, p.Now, -1)
		}
		if p.Then != "" {
			adjust(p.Commune, p.Kind, p.Then, +1)
		}
	}
	// A commune with no post at the moment has no row, as in
	// CountStatuses.
	for code := range copied {
		if *out[code] == ([3][3]int{}) {
			delete(out, code)
		}
	}
	return out
}

// countStatusesSinceLive is CountStatusesSince over the posts kept in
// memory: the present counts are theirs, and each changed post is taken
// out with its status as the memory has it (the posts table's, as
// changedSinceQuery reads it), so that a report committed between the
// look and the read of what changed is counted in neither.
func (db *DB) countStatusesSinceLive(ctx context.Context, live *liveRoster, s Scope, times []time.Time) (now StatusCounts, past []StatusCounts, err error) {
	if _, err := scopeWhere(s, &args{}); err != nil {
		return nil, nil, err
	}
	now = live.countStatuses(s)
	past = make([]StatusCounts, len(times))
	for i, t := range times {
		changed, known := live.reports.changedSince(live, s, t)
		if !known {
			q, a, err := changedSinceQuery(s, t)
			if err != nil {
				return nil, nil, err
			}
			if err := db.selectPrepared(ctx, nil, &changed, q, a...); err != nil {
				return nil, nil, fmt.Errorf("store: posts reported on since %s: %w", t.Format(time.RFC3339), err)
			}
			for j, p := range changed {
				changed[j].Now = live.rawStatus(p.Commune, p.Kind, p.Slot)
			}
		}
		past[i] = putBack(now, changed)
	}
	return now, past, nil
}
