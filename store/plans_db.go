package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// milestoneRow is a milestone as stored: the selector, posts and
// reminders as JSON text, the days as dates.
type milestoneRow struct {
	ID        string        `db:"id"`
	PlanID    string        `db:"plan_id"`
	Seq       int           `db:"seq"`
	TitleVI   string        `db:"title_vi"`
	TitleEN   string        `db:"title_en"`
	Kind      MilestoneKind `db:"kind"`
	Selector  string        `db:"selector"`
	Posts     string        `db:"posts"`
	Target    Status        `db:"target"`
	Start     nullDate      `db:"start_date"`
	Deadline  nullDate      `db:"deadline"`
	Reminders string        `db:"reminders"`
}

const milestoneColumns = "id, plan_id, seq, title_vi, title_en, kind, selector, posts, target, start_date, deadline, reminders"

func (db *DB) milestoneOf(r milestoneRow) (Milestone, error) {
	m := Milestone{ID: r.ID, PlanID: r.PlanID, Seq: r.Seq, TitleVI: r.TitleVI, TitleEN: r.TitleEN, Kind: r.Kind, Target: r.Target}
	if err := json.Unmarshal([]byte(r.Selector), &m.Communes); err != nil {
		return Milestone{}, fmt.Errorf("store: milestone %q: selector: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Posts), &m.Posts); err != nil {
		return Milestone{}, fmt.Errorf("store: milestone %q: posts: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Reminders), &m.Remind); err != nil {
		return Milestone{}, fmt.Errorf("store: milestone %q: reminders: %w", r.ID, err)
	}
	start, err := r.Start.in(db.loc)
	if err != nil {
		return Milestone{}, err
	}
	deadline, err := r.Deadline.in(db.loc)
	if err != nil {
		return Milestone{}, err
	}
	if start == nil || deadline == nil {
		return Milestone{}, fmt.Errorf("store: milestone %q has no start or deadline", r.ID)
	}
	m.Start, m.Deadline = *start, *deadline
	return m, nil
}

// SavePlan creates or replaces a plan and its milestones. Milestones keep
// their ids, so districts' submissions survive a re-save; milestones the
// plan no longer lists are deleted with their submissions.
func (db *DB) SavePlan(ctx context.Context, p Plan, actor string, at time.Time) error {
	if p.ID == "" {
		return fmt.Errorf("store: save plan: empty id")
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO plans (id, title_vi, title_en) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET title_vi = excluded.title_vi, title_en = excluded.title_en`,
			p.ID, p.TitleVI, p.TitleEN); err != nil {
			return fmt.Errorf("write plan: %w", err)
		}
		ids := make([]string, 0, len(p.Milestones))
		for _, m := range p.Milestones {
			if err := upsertMilestone(ctx, tx, p.ID, m); err != nil {
				return err
			}
			ids = append(ids, m.ID)
		}
		var a args
		q := "DELETE FROM milestones WHERE plan_id = " + a.add(p.ID)
		if len(ids) > 0 {
			q += " AND id NOT IN (" + list(&a, ids) + ")"
		}
		if _, err := tx.ExecContext(ctx, q, a...); err != nil {
			return fmt.Errorf("delete dropped milestones: %w", err)
		}
		if err := bumpRoster(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "save_plan",
			Detail: fmt.Sprintf("%s: %d milestones", p.ID, len(p.Milestones))})
	})
	if err != nil {
		return fmt.Errorf("store: save plan %q: %w", p.ID, err)
	}
	return nil
}

func upsertMilestone(ctx context.Context, tx *sqlx.Tx, planID string, m Milestone) error {
	if m.ID == "" {
		return fmt.Errorf("milestone with empty id")
	}
	selector, err := json.Marshal(m.Communes)
	if err != nil {
		return fmt.Errorf("milestone %q: selector: %w", m.ID, err)
	}
	posts := m.Posts
	if posts == nil {
		posts = []PostKind{}
	}
	postsJSON, err := json.Marshal(posts)
	if err != nil {
		return fmt.Errorf("milestone %q: posts: %w", m.ID, err)
	}
	reminders, err := json.Marshal(m.Remind)
	if err != nil {
		return fmt.Errorf("milestone %q: reminders: %w", m.ID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO milestones (`+milestoneColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET plan_id = excluded.plan_id, seq = excluded.seq, title_vi = excluded.title_vi,
			title_en = excluded.title_en, kind = excluded.kind, selector = excluded.selector, posts = excluded.posts,
			target = excluded.target, start_date = excluded.start_date, deadline = excluded.deadline, reminders = excluded.reminders`,
		m.ID, planID, m.Seq, m.TitleVI, m.TitleEN, m.Kind, string(selector), string(postsJSON), m.Target,
		dateValue(&m.Start), dateValue(&m.Deadline), string(reminders))
	if err != nil {
		return fmt.Errorf("write milestone %q: %w", m.ID, err)
	}
	return nil
}

// Plans returns every plan by id, each with its milestones by seq.
func (db *DB) Plans(ctx context.Context) ([]Plan, error) {
	var plans []Plan
	if err := db.db.SelectContext(ctx, &plans, "SELECT id, title_vi, title_en FROM plans ORDER BY id"); err != nil {
		return nil, fmt.Errorf("store: list plans: %w", err)
	}
	var rows []milestoneRow
	if err := db.db.SelectContext(ctx, &rows, "SELECT "+milestoneColumns+" FROM milestones ORDER BY plan_id, seq, id"); err != nil {
		return nil, fmt.Errorf("store: list milestones: %w", err)
	}
	byPlan := make(map[string]int, len(plans))
	for i, p := range plans {
		byPlan[p.ID] = i
	}
	for _, r := range rows {
		m, err := db.milestoneOf(r)
		if err != nil {
			return nil, err
		}
		i := byPlan[r.PlanID]
		plans[i].Milestones = append(plans[i].Milestones, m)
	}
	return plans, nil
}

// Milestone returns one milestone; ErrNotFound if the id is unknown.
func (db *DB) Milestone(ctx context.Context, id string) (Milestone, error) {
	var r milestoneRow
	err := db.db.GetContext(ctx, &r, "SELECT "+milestoneColumns+" FROM milestones WHERE id = $1", id)
	if isNoRows(err) {
		return Milestone{}, fmt.Errorf("store: milestone %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Milestone{}, fmt.Errorf("store: read milestone %q: %w", id, err)
	}
	return db.milestoneOf(r)
}

// RecordSubmission records that a district filed the report a milestone
// asks for. The first filing counts; recording it again changes nothing.
func (db *DB) RecordSubmission(ctx context.Context, milestoneID, districtCode, actor string, at time.Time) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO submissions (milestone_id, district_code, actor, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (milestone_id, district_code) DO NOTHING`, milestoneID, districtCode, actor, utc(at))
	if err != nil {
		return fmt.Errorf("store: record submission of district %q for milestone %q: %w", districtCode, milestoneID, err)
	}
	return nil
}

// Submissions returns the district codes that filed a milestone's report,
// sorted.
func (db *DB) Submissions(ctx context.Context, milestoneID string) ([]string, error) {
	var out []string
	if err := db.db.SelectContext(ctx, &out, "SELECT district_code FROM submissions WHERE milestone_id = $1 ORDER BY district_code", milestoneID); err != nil {
		return nil, fmt.Errorf("store: submissions of milestone %q: %w", milestoneID, err)
	}
	return out, nil
}

// Submission is a district's filing of what a district_report milestone
// asks for.
type Submission struct {
	MilestoneID  string    `db:"milestone_id"`
	DistrictCode string    `db:"district_code"`
	At           time.Time `db:"at"`
}

// AllSubmissions returns every filing, by milestone and district: what
// the weekly digest of every scope reads once.
func (db *DB) AllSubmissions(ctx context.Context) ([]Submission, error) {
	var out []Submission
	if err := db.db.SelectContext(ctx, &out, "SELECT milestone_id, district_code, at FROM submissions ORDER BY milestone_id, district_code"); err != nil {
		return nil, fmt.Errorf("store: list submissions: %w", err)
	}
	return out, nil
}
