package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

// CountStatusesSince counts the scope's posts as CountStatuses does, now
// and as the reports had left them at each of times (what
// AsOf(t).CountStatuses gives, in the order of times), read in one
// snapshot of the store.
//
// A past count is the present one with some posts taken out with their
// present status and put back as their last report before its time left
// them: those a report reached since the earliest time, and those with
// more than one report. Every other post has one report, written with
// it in the same transaction (every write of a post appends one), before
// that time: the post is as it left it. A past count then costs the
// reports of the posts reported on since, or more than once, not a pass
// that orders every report of the scope, and it does not rest on reports
// being recorded in the order of their time (`caxbot chat --date`
// records them out of it). On a view (AsOf) it reads each moment through
// AsOf.
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
	// One snapshot: a report written between the present count and the
	// reads of what changed would otherwise be put back from a state the
	// count never saw.
	opts := &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	if db.dialect == DialectSQLite {
		opts = nil // a read transaction reads one snapshot of the WAL
	}
	tx, err := db.db.BeginTxx(ctx, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("store: count posts by status since: begin: %w", err)
	}
	defer tx.Rollback()
	if now, err = db.countStatuses(ctx, tx, s); err != nil {
		return nil, nil, err
	}
	if len(times) == 0 {
		return now, past, nil
	}
	changed, err := db.reportedSince(ctx, tx, s, slices.MinFunc(times, time.Time.Compare))
	if err != nil {
		return nil, nil, err
	}
	for i, t := range times {
		past[i] = changed.putBack(now, t)
	}
	return now, past, nil
}

// postReports are the posts whose past a present count cannot stand
// for: each post's status now ("" when it has no row) and every report of
// it, oldest first as AsOf orders them (time, then id).
type postReports map[PostRef]*postHistory

type postHistory struct {
	status  Status
	reports []pastReport
}

type pastReport struct {
	ID        int64     `db:"id"`
	Commune   string    `db:"commune_code"`
	Kind      PostKind  `db:"kind"`
	Slot      int       `db:"slot"`
	NewStatus Status    `db:"new_status"`
	At        time.Time `db:"at"`
}

// reportedSince reads the scope's posts that a report reached at or after
// from or that have more than one report, with their present status and
// all their reports, in one statement: the scope's reports grouped by
// post (in the order of the reports' post index), then the reports of the
// posts chosen.
func (db *DB) reportedSince(ctx context.Context, tx *sqlx.Tx, s Scope, from time.Time) (postReports, error) {
	var a args
	in := ""
	if !s.All() {
		where, err := scopeWhere(s, &a)
		if err != nil {
			return nil, err
		}
		in = ` WHERE x.commune_code IN (SELECT c.code FROM communes c JOIN districts d ON d.code = c.district_code WHERE ` + where + `)`
	}
	since := a.add(utc(from))
	and := " AND"
	if in == "" {
		and = " WHERE"
	}
	q := `SELECT r.id, r.commune_code, r.kind, r.slot, r.new_status, r.at, coalesce(p.status, '') AS status FROM (
			SELECT x.commune_code, x.kind, x.slot FROM reports x` + in + and + ` x.at >= ` + since + `
			UNION
			SELECT x.commune_code, x.kind, x.slot FROM reports x` + in + `
			GROUP BY x.commune_code, x.kind, x.slot HAVING count(*) > 1
		) k
		JOIN reports r ON r.commune_code = k.commune_code AND r.kind = k.kind AND r.slot = k.slot
		LEFT JOIN posts p ON p.commune_code = k.commune_code AND p.kind = k.kind AND p.slot = k.slot`
	var rows []struct {
		pastReport
		Status Status `db:"status"`
	}
	if err := tx.SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: posts reported on since %s: %w", from.Format(time.RFC3339), err)
	}
	out := make(postReports)
	for _, r := range rows {
		ref := PostRef{CommuneCode: r.Commune, Kind: r.Kind, Slot: r.Slot}
		h := out[ref]
		if h == nil {
			h = &postHistory{status: r.Status}
			out[ref] = h
		}
		h.reports = append(h.reports, r.pastReport)
	}
	for _, h := range out {
		slices.SortFunc(h.reports, func(a, b pastReport) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
		})
	}
	return out, nil
}

// putBack returns the counts now as the reports had left them at t: each
// post read taken out with its present status and put back with the
// status its last report before t gave it, if any. Communes it changes
// are copied; the others are shared with now.
func (pr postReports) putBack(now StatusCounts, t time.Time) StatusCounts {
	out := make(StatusCounts, len(now))
	for code, c := range now {
		out[code] = c
	}
	copied := make(map[string]bool)
	adjust := func(ref PostRef, st Status, by int) {
		c := out[ref.CommuneCode]
		if !copied[ref.CommuneCode] {
			fresh := new([3][3]int)
			if c != nil {
				*fresh = *c
			}
			c = fresh
			out[ref.CommuneCode] = c
			copied[ref.CommuneCode] = true
		}
		c[kindIndex(ref.Kind)][statusIndex(st)] += by
	}
	t = utc(t)
	for ref, h := range pr {
		var then Status
		if i, _ := slices.BinarySearchFunc(h.reports, t, func(r pastReport, t time.Time) int { return r.At.Compare(t) }); i > 0 {
			then = h.reports[i-1].NewStatus
		}
		if then == h.status {
			continue
		}
		if h.status != "" {
			adjust(ref, h.status, -1)
		}
		if then != "" {
			adjust(ref, then, +1)
		}
	}
	// A commune with no post at t has no row, as in CountStatuses.
	for code := range copied {
		if *out[code] == ([3][3]int{}) {
			delete(out, code)
		}
	}
	return out
}
