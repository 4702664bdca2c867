package store

import (
	"context"
	"fmt"
	"time"
)

// AsOf returns the store as its reports had left it at t: every read of
// posts (Posts, CommunePosts, CountPosts, CountStatuses, Vacancies,
// VacancyTotals, Counts, Roster, Progress) sees each post as its last
// report before t left it, a post no report had reached by then not at
// all; History, ReportsBetween, the districts' filings, the digest
// snapshots and the arrangements of the people replaced see only what was
// recorded before t. The administrative map is the one just before t:
// the communes and districts then on it (communesTable, districtsTable),
// each commune with the name, type and district it had then. Groups and
// the plan are today's. The zero t gives the store as it is now.
//
// The reports are the audit trail: every change of a post, by the bot or
// an import, appends one, in the order of its time (and of its id for two
// of the same time). Writes through the view go to the store as usual.
func (db *DB) AsOf(t time.Time) *DB {
	if t.Equal(db.asOf) {
		return db
	}
	v := *db
	v.asOf = t
	return &v
}

// AsOfTime is the moment the view shows (AsOf); zero for the store as it
// is now.
func (db *DB) AsOfTime() time.Time { return db.asOf }

// postsTable is what the view reads the scope's posts from, with the
// columns of the posts table: the table itself, or each post's last
// report before the view's moment, ordered by time then id as the reports
// were appended. Only the scope's reports are read, so that a district's
// state on a date costs the district's reports, not the country's.
func (db *DB) postsTable(a *args, s Scope) string {
	if db.asOf.IsZero() {
		return "posts"
	}
	in := ""
	if where, err := scopeWhere(s, a); err == nil && !s.All() && s.Role != RoleNational {
		in = ` AND r.commune_code IN (SELECT c.code FROM ` + db.communesTable(a) + ` c JOIN ` + db.districtsTable(a) + ` d ON d.code = c.district_code WHERE ` + where + `)`
	}
	return `(SELECT h.commune_code, h.kind, h.slot, h.status, h.holder, h.since FROM (
		SELECT r.commune_code, r.kind, r.slot, r.new_status AS status, r.new_holder AS holder, r.since,
			row_number() OVER (PARTITION BY r.commune_code, r.kind, r.slot ORDER BY r.at DESC, r.id DESC) AS latest
		FROM reports r WHERE r.at < ` + a.add(utc(db.asOf)) + in + `) h WHERE h.latest = 1)`
}

// countedPostsTable is postsTable with each post at the status it counts
// at. When the plan counts verified changes (plans.counts), a post whose
// last report waits for its district's check (or was sent back) counts
// as its last checked report left it until the check (lastChecked): that
// status (a post no checked report gave one, as vacant) and holder, since
// a day not known. Every count of posts reads it (CountStatuses,
// CountPosts, questions, the status summary), so that reminders, digests,
// reviews, forecasts, the Mini App and answers count alike; a list of
// posts (Posts) shows what was reported.
func (db *DB) countedPostsTable(a *args, s Scope) string {
	if !db.verified.Load() {
		return db.postsTable(a, s)
	}
	// The last checked report is looked for only for the few posts that
	// wait: the join itself stays simple for the planner.
	return `(SELECT p0.commune_code, p0.kind, p0.slot,
		CASE WHEN w.commune_code IS NULL THEN p0.status ELSE ` + db.lastChecked(a, "new_status", "'vacant'") + ` END AS status,
		CASE WHEN w.commune_code IS NULL THEN p0.holder ELSE ` + db.lastChecked(a, "new_holder", "''") + ` END AS holder,
		CASE WHEN w.commune_code IS NULL THEN p0.since END AS since
		FROM ` + db.postsTable(a, s) + ` p0 LEFT JOIN ` + db.waitingTable(a, true, nil) + ` w
		ON w.commune_code = p0.commune_code AND w.kind = p0.kind AND w.slot = p0.slot)`
}

// lastChecked is the column of the last report before waiting report w of
// its post that was checked by the view's moment, or has no details (an
// import); none when there is no such report. A waiting report that was
// superseded vouches for nothing.
func (db *DB) lastChecked(a *args, column, none string) string {
	checked := "x2.check_state = 'verified'"
	if !db.asOf.IsZero() {
		checked += " AND x2.checked_at < " + a.add(utc(db.asOf))
	}
	return `COALESCE((SELECT r2.` + column + ` FROM reports r2 LEFT JOIN report_details x2 ON x2.report_id = r2.id
		WHERE r2.commune_code = w.commune_code AND r2.kind = w.kind AND r2.slot = w.slot AND (r2.at < w.at OR r2.at = w.at AND r2.id < w.id)
		AND (x2.report_id IS NULL OR ` + checked + `) ORDER BY r2.at DESC, r2.id DESC LIMIT 1), ` + none + `)`
}

// waitingCheck is the condition on a report's details x that it waits for
// its check now: reported, or sent back. The states that are not
// verified, named: the index on check_state then finds the few that wait
// rather than every report's details.
const waitingCheck = "x.check_state IN ('reported', 'returned')"

// waitingTable lists the posts whose last report before the view's
// moment waited for its check at that moment (a report checked later
// waited then), with that report: columns commune_code, kind, slot, at,
// id and new_status. Reports without details (imports) never wait.
// counted keeps it empty unless the plan counts verified changes. s,
// when not nil, keeps the posts of the scope's communes on the map of
// the view: what waits in a district costs the district's reports, not
// the country's.
func (db *DB) waitingTable(a *args, counted bool, s *Scope) string {
	latest, waits, before := latestOnPost, waitingCheck, ""
	if !db.asOf.IsZero() {
		t := a.add(utc(db.asOf))
		before = " AND r.at < " + t
		latest = `NOT EXISTS (SELECT 1 FROM reports l WHERE l.commune_code = r.commune_code AND l.kind = r.kind AND l.slot = r.slot
			AND l.at < ` + t + ` AND (l.at > r.at OR l.at = r.at AND l.id > r.id))`
		waits = "NOT (x.check_state = 'verified' AND x.checked_at < " + t + ")"
	}
	if counted {
		waits += " AND EXISTS (SELECT 1 FROM plans WHERE counts = '" + countsVerified + "')"
	}
	in := ""
	if s != nil {
		where, err := scopeWhere(*s, a)
		if err != nil {
			where = "1 = 0" // no such scope: nothing in it
		}
		in = ` AND r.commune_code IN (SELECT c.code FROM ` + db.communesTable(a) + ` c JOIN ` + db.districtsTable(a) + ` d ON d.code = c.district_code WHERE ` + where + `)`
	}
	return `(SELECT r.commune_code, r.kind, r.slot, r.at, r.id, r.new_status FROM report_details x JOIN reports r ON r.id = x.report_id
		WHERE ` + waits + before + in + ` AND ` + latest + `)`
}

// communesTable is what the view reads communes c from, with the columns
// of the communes table: the communes on the map just before the view's
// moment (validAt),
// each with the name, type and district it had then (commune_past keeps
// what a later change altered); for the store as it is now, those no
// change has ended.
func (db *DB) communesTable(a placeholders) string {
	if db.asOf.IsZero() {
		return "(SELECT * FROM communes WHERE valid_to IS NULL)"
	}
	past := func(column string) string {
		return `COALESCE((SELECT cp.` + column + ` FROM commune_past cp WHERE cp.code = cc.code AND cp.until >= ` + a.add(utc(db.asOf)) +
			` ORDER BY cp.until LIMIT 1), cc.` + column + `) AS ` + column
	}
	return `(SELECT cc.code, ` + past("name") + `, ` + past("type") + `, ` + past("district_code") + `,
		cc.post_kinds, cc.valid_from, cc.valid_to, cc.successor FROM communes cc
		WHERE ` + validAt("cc", db.asOf, a) + `)`
}

// districtsTable is what the view reads districts d from: those on the
// map at the view's moment, the province's own unit among them once the
// district level is abolished.
func (db *DB) districtsTable(a placeholders) string {
	if db.asOf.IsZero() {
		return "(SELECT * FROM districts WHERE valid_to IS NULL)"
	}
	return "(SELECT * FROM districts dd WHERE " + validAt("dd", db.asOf, a) + ")"
}

// validAt is the condition that the unit of alias was on the map just
// before t. A view shows the state just before its moment, as its reports
// are those before it: the end of a day (--date, a review's end) is the
// midnight a change of the next day takes effect at, and that day still
// has the map it ended with.
func validAt(alias string, t time.Time, a placeholders) string {
	return "(" + alias + ".valid_from IS NULL OR " + alias + ".valid_from < " + a.add(utc(t)) + ") AND (" +
		alias + ".valid_to IS NULL OR " + alias + ".valid_to >= " + a.add(utc(t)) + ")"
}

// hasKind is the condition that commune c has a post of kind k (a row of
// postKindBits) in the view: the kinds each commune row records, or, as
// of a moment, a report of that kind before it.
func (db *DB) hasKind(a placeholders) string {
	if db.asOf.IsZero() {
		return "(c.post_kinds & k.bit) <> 0"
	}
	return "EXISTS (SELECT 1 FROM reports r WHERE r.commune_code = c.code AND r.kind = k.kind AND r.at < " + a.add(utc(db.asOf)) + ")"
}

// recordedBefore is " AND column < the view's moment", or nothing for the
// store as it is now: what a read of an append-only record adds to its
// conditions.
func (db *DB) recordedBefore(column string, a placeholders) string {
	if db.asOf.IsZero() {
		return ""
	}
	return " AND " + column + " < " + a.add(utc(db.asOf))
}

// FirstReport returns when the scope's earliest report was recorded (in
// the view): the start of what the reports know. ok is false when there
// is none.
func (db *DB) FirstReport(ctx context.Context, s Scope) (at time.Time, ok bool, err error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return time.Time{}, false, err
	}
	live, err := db.livePosts(ctx)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: first report: %w", err)
	}
	if live != nil {
		if at, ok, known := live.reports.first(s); known {
			return at, ok, nil
		}
	}
	return db.firstReportSQL(ctx, s, where, a)
}

// firstReportSQL is FirstReport in SQL, for a view of the past or a store
// whose posts are not kept in memory.
func (db *DB) firstReportSQL(ctx context.Context, s Scope, where string, a args) (time.Time, bool, error) {
	var q string
	if s.All() {
		q = `SELECT r.at FROM reports r WHERE 1 = 1` + db.recordedBefore("r.at", &a) + ` ORDER BY r.at LIMIT 1`
	} else {
		// Each commune's first report, by the reports' commune index: in
		// the order of every report's time, the first of a province's
		// could come after most of the country's (an import's rows share
		// one time), each checked against the scope.
		q = `SELECT r.at FROM reports r WHERE r.id IN (
				SELECT (SELECT x.id FROM reports x WHERE x.commune_code = c.code` + db.recordedBefore("x.at", &a) + ` ORDER BY x.at LIMIT 1)
				FROM communes c JOIN districts d ON d.code = c.district_code WHERE ` + where + `)
			ORDER BY r.at LIMIT 1`
	}
	var first time.Time
	err := db.getPrepared(ctx, nil, &first, q, a...)
	if isNoRows(err) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: first report: %w", err)
	}
	return first.UTC(), true, nil
}
