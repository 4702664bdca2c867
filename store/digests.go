package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Snapshot is one district's done/total on one milestone as a weekly
// digest showed it.
type Snapshot struct {
	Week         string    `db:"week"` // the digest's week, YYYY-MM-DD of its Monday
	MilestoneID  string    `db:"milestone_id"`
	DistrictCode string    `db:"district_code"`
	Done         int       `db:"done"`
	Total        int       `db:"total"`
	TakenAt      time.Time `db:"taken_at"`
}

// SaveSnapshots records a digest's figures for its week, replacing what an
// earlier run of the same week recorded, so that next week's change is
// measured against what was sent. The rows, one per milestone and
// district, are written by one statement.
func (db *DB) SaveSnapshots(ctx context.Context, week string, snaps []Snapshot) error {
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM digest_snapshots WHERE week = $1", week); err != nil {
			return fmt.Errorf("clear: %w", err)
		}
		if len(snaps) == 0 {
			return nil
		}
		rows := make([][]any, len(snaps))
		for i, s := range snaps {
			rows[i] = []any{s.MilestoneID, s.DistrictCode, s.Done, s.Total, utc(s.TakenAt)}
		}
		var a args
		w := a.add(week)
		from, err := db.jsonRows(&a, rows, "milestone_id TEXT", "district_code TEXT", "done INTEGER", "total INTEGER", "taken_at TIMESTAMPTZ")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO digest_snapshots (week, milestone_id, district_code, done, total, taken_at)
			SELECT `+w+`, r.milestone_id, r.district_code, r.done, r.total, r.taken_at FROM `+from+` AS r`, a...); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save digest snapshots of week %s: %w", week, err)
	}
	return nil
}

// PreviousSnapshots returns the figures of the latest week before week
// (YYYY-MM-DD, which sorts as text), with that week; none when there is
// no earlier digest.
func (db *DB) PreviousSnapshots(ctx context.Context, week string) (string, []Snapshot, error) {
	var prev string
	a := args{week}
	err := db.db.GetContext(ctx, &prev, "SELECT week FROM digest_snapshots WHERE week < $1"+db.recordedBefore("taken_at", &a)+" ORDER BY week DESC LIMIT 1", a...)
	if isNoRows(err) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: digest week before %s: %w", week, err)
	}
	var out []Snapshot
	err = db.db.SelectContext(ctx, &out, `SELECT week, milestone_id, district_code, done, total, taken_at
		FROM digest_snapshots WHERE week = $1 ORDER BY milestone_id, district_code`, prev)
	if err != nil {
		return "", nil, fmt.Errorf("store: digest snapshots of week %s: %w", prev, err)
	}
	return prev, out, nil
}

// StatusCounts holds, by commune code, how many posts of each kind hold
// each status, indexed by kindIndex and statusIndex.
type StatusCounts map[string]*[3][3]int

func kindIndex(k PostKind) int {
	switch k {
	case Chief:
		return 0
	case Deputy:
		return 1
	}
	return 2
}

func statusIndex(s Status) int {
	switch s {
	case Regular:
		return 0
	case Semi:
		return 1
	}
	return 2
}

// CountStatuses counts the scope's posts by commune, kind and status in
// one SQL aggregate, from which every milestone's counts follow (For): a
// job that evaluates all the milestones over the whole country reads the
// posts once rather than once per milestone. Each commune's row carries
// its posts as one string of two letters per post, kind then status
// ("cr" a regular chief, "ov" a vacant officer), counted here: on the
// embedded SQLite, nine conditional sums per post row cost twice the
// concatenation, and scanning two columns per commune rather than ten
// halves the rest (the national overview counted in full: 122 ms of CPU
// before).
func (db *DB) CountStatuses(ctx context.Context, s Scope) (StatusCounts, error) {
	return db.countStatuses(ctx, nil, s)
}

// countStatuses is CountStatuses inside tx, or on the pool when tx is nil.
func (db *DB) countStatuses(ctx context.Context, tx *sqlx.Tx, s Scope) (StatusCounts, error) {
	query, a, err := db.countStatusesQuery(s)
	if err != nil {
		return nil, err
	}
	return db.readStatusCounts(ctx, tx, query, a)
}

// countStatusesQuery is CountStatuses' statement and its arguments.
func (db *DB) countStatusesQuery(s Scope) (string, args, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return "", nil, err
	}
	posts := db.countedPostsTable(&a, s)
	from := posts + " p JOIN " + db.communesTable(&a) + " c ON c.code = p.commune_code JOIN " + db.districtsTable(&a) + " d ON d.code = c.district_code"
	if s.All() && db.asOf.IsZero() {
		// The whole store needs no join: the posts' key orders them by
		// commune already, and ended communes have none. As of a moment,
		// the join keeps the communes then on the map.
		from = posts + " p"
	}
	concat := "group_concat(substr(p.kind, 1, 1) || substr(p.status, 1, 1), '')"
	if db.dialect == DialectPostgres {
		concat = "string_agg(substr(p.kind, 1, 1) || substr(p.status, 1, 1), '')"
	}
	query := `SELECT p.commune_code, ` + concat + ` FROM ` + from + `
		WHERE ` + where + ` GROUP BY p.commune_code`
	return query, a, nil
}

// readStatusCounts runs countStatusesQuery's statement, inside tx or on
// the pool when tx is nil.
func (db *DB) readStatusCounts(ctx context.Context, tx *sqlx.Tx, query string, a args) (StatusCounts, error) {
	rows, err := db.queryPrepared(ctx, tx, query, a...)
	if err != nil {
		return nil, fmt.Errorf("store: count posts by status: %w", err)
	}
	defer rows.Close()
	out := make(StatusCounts)
	for rows.Next() {
		var commune, letters string
		if err := rows.Scan(&commune, &letters); err != nil {
			return nil, fmt.Errorf("store: count posts by status: %w", err)
		}
		c := new([3][3]int)
		for i := 0; i+1 < len(letters); i += 2 {
			// The first letters of the kinds and of the statuses, in the
			// order of kindIndex and statusIndex.
			k, st := strings.IndexByte("cdo", letters[i]), strings.IndexByte("rsv", letters[i+1])
			if k < 0 || st < 0 {
				return nil, fmt.Errorf("store: count posts by status: commune %s: unknown post %q", commune, letters[i:i+2])
			}
			c[k][st]++
		}
		out[commune] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count posts by status: %w", err)
	}
	return out, nil
}

// For returns the milestone's counts, as DB.CountPosts gives them.
// Communes of the same counts share one map of them: the country's
// 10,643 communes have a few dozen distinct counts of a milestone's
// kinds, and a map each was most of what evaluating a milestone
// allocated. Read the maps; PostCounts.Unverify copies a commune's
// before it changes it.
func (sc StatusCounts) For(m Milestone) PostCounts {
	out := make(PostCounts, len(sc))
	target := statusIndex(m.target())
	if len(m.Posts) > maxMilestoneKinds {
		// A kind listed twice: a map of its own for each commune.
		for commune, c := range sc {
			for _, k := range m.Posts {
				row := c[kindIndex(k)]
				kc := KindCount{Posts: row[0] + row[1] + row[2], AtTarget: row[target]}
				if kc.Posts > 0 {
					out.add(commune, k, kc)
				}
			}
		}
		return out
	}
	// By the posts and those at the target, of each of m.Posts in order.
	shared := make(map[[maxMilestoneKinds][2]int]map[PostKind]KindCount)
	for commune, c := range sc {
		var key [maxMilestoneKinds][2]int
		some := false
		for i, k := range m.Posts {
			row := c[kindIndex(k)]
			key[i] = [2]int{row[0] + row[1] + row[2], row[target]}
			some = some || key[i][0] > 0
		}
		if !some {
			continue
		}
		counts, ok := shared[key]
		if !ok {
			counts = make(map[PostKind]KindCount, len(m.Posts))
			for i, k := range m.Posts {
				if key[i][0] > 0 {
					counts[k] = KindCount{Posts: key[i][0], AtTarget: key[i][1]}
				}
			}
			shared[key] = counts
		}
		out[commune] = counts
	}
	return out
}
