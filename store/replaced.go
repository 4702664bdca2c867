package store

import (
	"context"
	"fmt"
	"time"
)

// Arrangement is what becomes of a semi-professional person whose post
// went to regular police: the conference asked for a "phương án bố trí"
// for each of them.
type Arrangement string

const (
	Retired     Arrangement = "retired"     // nghỉ hưởng chế độ
	Transferred Arrangement = "transferred" // chuyển công tác khác
	Supporting  Arrangement = "supporting"  // tiếp tục hỗ trợ Công an xã
	Unassigned  Arrangement = "unassigned"  // chưa bố trí
)

// Arrangements lists the arrangements in the order they are offered.
var Arrangements = []Arrangement{Retired, Transferred, Supporting, Unassigned}

// Valid reports whether a is a known arrangement.
func (a Arrangement) Valid() bool {
	return a == Retired || a == Transferred || a == Supporting || a == Unassigned
}

// Replaces reports whether the report replaced a person: it gave to
// regular police a post a semi-professional held, someone else.
func (r Report) Replaces() bool {
	return r.OldStatus == Semi && r.NewStatus == Regular && r.OldHolder != "" && r.OldHolder != r.NewHolder
}

// Replaced is a person a report replaced (Report.OldHolder, in the post
// the report is about) and what becomes of them.
type Replaced struct {
	Report Report
	// Arrangement is the last one recorded; Unassigned when none was.
	Arrangement Arrangement
	// By and At say who recorded it and when; empty and nil when nobody
	// did.
	By string
	At *time.Time
}

// Arranged reports whether someone recorded an arrangement other than
// "chưa bố trí".
func (r Replaced) Arranged() bool { return r.Arrangement != Unassigned }

// replacedWhere selects the reports that replaced someone.
const replacedWhere = `r.old_status = 'semi' AND r.new_status = 'regular' AND r.old_holder <> '' AND r.old_holder <> r.new_holder`

// ReplacedPeople returns the people the scope's reports recorded in
// [from, to) replaced, oldest first, each with the last arrangement
// recorded (in the view: AsOf shows those recorded before its moment).
func (db *DB) ReplacedPeople(ctx context.Context, s Scope, from, to time.Time) ([]Replaced, error) {
	var a args
	where, err := scopeWhere(s, &a)
	if err != nil {
		return nil, err
	}
	q := db.replacedQuery(&a) + ` AND r.at >= ` + a.add(utc(from)) + ` AND r.at < ` + a.add(utc(to)) + db.recordedBefore("r.at", &a) + `
		AND ` + where + ` ORDER BY r.at, r.id`
	return db.replaced(ctx, q, a, fmt.Sprintf("between %s and %s", from.Format(time.RFC3339), to.Format(time.RFC3339)))
}

// ReplacedPerson returns the person report replaced; ErrNotFound when the
// report replaced nobody (or is unknown, or later than the view).
func (db *DB) ReplacedPerson(ctx context.Context, reportID int64) (Replaced, error) {
	var a args
	q := db.replacedQuery(&a) + ` AND r.id = ` + a.add(reportID) + db.recordedBefore("r.at", &a)
	out, err := db.replaced(ctx, q, a, fmt.Sprintf("of report %d", reportID))
	if err != nil {
		return Replaced{}, err
	}
	if len(out) == 0 {
		return Replaced{}, fmt.Errorf("store: person replaced by report %d: %w", reportID, ErrNotFound)
	}
	return out[0], nil
}

func (db *DB) replacedQuery(a *args) string {
	return `SELECT ` + reportColumns + `, coalesce(a.arrangement, '') AS arrangement, coalesce(a.actor, '') AS arranged_by, a.at AS arranged_at
		FROM reports r JOIN communes c ON c.code = r.commune_code JOIN districts d ON d.code = c.district_code
		LEFT JOIN arrangements a ON a.id = (SELECT x.id FROM arrangements x WHERE x.report_id = r.id` + db.recordedBefore("x.at", a) + `
			ORDER BY x.at DESC, x.id DESC LIMIT 1)
		WHERE ` + replacedWhere
}

func (db *DB) replaced(ctx context.Context, q string, a args, what string) ([]Replaced, error) {
	var rows []struct {
		reportRow
		Arrangement Arrangement `db:"arrangement"`
		By          string      `db:"arranged_by"`
		At          *time.Time  `db:"arranged_at"`
	}
	if err := db.db.SelectContext(ctx, &rows, q, a...); err != nil {
		return nil, fmt.Errorf("store: people replaced %s: %w", what, err)
	}
	out := make([]Replaced, 0, len(rows))
	for _, r := range rows {
		reps, err := db.reportsOf([]reportRow{r.reportRow})
		if err != nil {
			return nil, err
		}
		p := Replaced{Report: reps[0], Arrangement: r.Arrangement, By: r.By, At: utcPtr(r.At)}
		if p.Arrangement == "" {
			p.Arrangement = Unassigned
		}
		out = append(out, p)
	}
	return out, nil
}

// Arrange records what becomes of the person a report replaced; every
// answer is kept, the last one counts. ErrNotFound when the report
// replaced nobody.
func (db *DB) Arrange(ctx context.Context, reportID int64, arr Arrangement, actor string, at time.Time) error {
	if !arr.Valid() {
		return fmt.Errorf("store: arrange report %d: unknown arrangement %q", reportID, arr)
	}
	if actor == "" {
		return fmt.Errorf("store: arrange report %d: no actor", reportID)
	}
	res, err := db.db.ExecContext(ctx, `INSERT INTO arrangements (report_id, arrangement, actor, at)
		SELECT r.id, $1, $2, $3 FROM reports r WHERE r.id = $4 AND `+replacedWhere, arr, actor, utc(at), reportID)
	if err != nil {
		return fmt.Errorf("store: arrange report %d: %w", reportID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: arrange report %d: %w", reportID, err)
	} else if n == 0 {
		return fmt.Errorf("store: arrange report %d: %w", reportID, ErrNotFound)
	}
	return nil
}
