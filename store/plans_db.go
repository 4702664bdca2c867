package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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
	Reporters Reporters     `db:"reporters"`
	Selector  string        `db:"selector"`
	Posts     string        `db:"posts"`
	Target    Status        `db:"target"`
	Start     nullDate      `db:"start_date"`
	Deadline  nullDate      `db:"deadline"`
	Reminders string        `db:"reminders"`
	Roadmap   string        `db:"roadmap"`
	Counts    string        `db:"counts"`
}

const milestoneColumns = "id, plan_id, seq, title_vi, title_en, kind, selector, posts, target, start_date, deadline, reminders, roadmap, reporters"

// milestoneSelect reads a milestone with its plan's way of counting.
const milestoneSelect = "SELECT " + milestoneColumns + ", (SELECT pl.counts FROM plans pl WHERE pl.id = milestones.plan_id) AS counts FROM milestones"

// roadmapJSON is a milestone's goal and steps as stored, days as
// YYYY-MM-DD.
type roadmapJSON struct {
	Goal  Goal `json:"goal,omitzero"`
	Steps []struct {
		By   string `json:"by"`
		Goal Goal   `json:"goal"`
	} `json:"steps,omitempty"`
}

func (db *DB) milestoneOf(r milestoneRow) (Milestone, error) {
	m := Milestone{ID: r.ID, PlanID: r.PlanID, Seq: r.Seq, TitleVI: r.TitleVI, TitleEN: r.TitleEN, Kind: r.Kind, Target: r.Target,
		CountVerified: r.Counts == countsVerified}
	if r.Reporters == ReportersUnits {
		m.Reporters = ReportersUnits
	}
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
	var rm roadmapJSON
	if err := json.Unmarshal([]byte(r.Roadmap), &rm); err != nil {
		return Milestone{}, fmt.Errorf("store: milestone %q: roadmap: %w", r.ID, err)
	}
	m.Goal = rm.Goal
	for _, st := range rm.Steps {
		by, err := time.ParseInLocation(dateLayout, st.By, db.loc)
		if err != nil {
			return Milestone{}, fmt.Errorf("store: milestone %q: step: %w", r.ID, err)
		}
		m.Steps = append(m.Steps, Step{By: by, Goal: st.Goal})
	}
	return m, nil
}

// SavePlan creates or replaces a plan and its milestones. Milestones keep
// their ids, so districts' submissions survive a re-save; milestones the
// plan no longer lists are deleted with their submissions.
func (db *DB) SavePlan(ctx context.Context, p Plan, actor string, at time.Time) error {
	if p.ID == "" {
		return fmt.Errorf("store: save plan: empty id")
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error { return db.savePlan(ctx, tx, p, actor, at) })
	if err != nil {
		return fmt.Errorf("store: save plan %q: %w", p.ID, err)
	}
	_, err = db.Plans(ctx) // how the plans count now (DB.verified)
	return err
}

func (db *DB) savePlan(ctx context.Context, tx *sqlx.Tx, p Plan, actor string, at time.Time) error {
	eligibility := ""
	if len(p.Eligibility) > 0 {
		b, err := json.Marshal(p.Eligibility)
		if err != nil {
			return fmt.Errorf("plan eligibility: %w", err)
		}
		eligibility = string(b)
	}
	counts := countsReported
	if p.CountVerified {
		counts = countsVerified
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO plans (id, title_vi, title_en, eligibility, counts) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET title_vi = excluded.title_vi, title_en = excluded.title_en, eligibility = excluded.eligibility,
		counts = excluded.counts`,
		p.ID, p.TitleVI, p.TitleEN, eligibility, counts); err != nil {
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
	return db.audit(ctx, tx, AuditEntry{At: at, Actor: actor, Action: "save_plan",
		Detail: fmt.Sprintf("%s: %d milestones", p.ID, len(p.Milestones))})
}

// PlanVersion is a plan as it was loaded.
type PlanVersion struct {
	Version    int64     `db:"version"`
	PlanID     string    `db:"plan_id"`
	TitleVI    string    `db:"title_vi"`
	Milestones int       `db:"milestones"`
	Source     string    `db:"source"`
	LoadedBy   string    `db:"loaded_by"`
	LoadedAt   time.Time `db:"loaded_at"`
	Active     bool      `db:"-"` // the version in force
}

// LoadPlan makes p the active plan, in one transaction: the plan and its
// milestones replace whatever plan was active (milestones that keep their
// id keep their districts' submissions; the others go, with theirs), and
// p is kept as a new version, unless it is the active version already.
// It returns the version in force and whether it is new.
func (db *DB) LoadPlan(ctx context.Context, p Plan, source, actor string, at time.Time) (int64, bool, error) {
	if p.ID == "" {
		return 0, false, fmt.Errorf("store: load plan: empty id")
	}
	body, err := json.Marshal(p)
	if err != nil {
		return 0, false, fmt.Errorf("store: load plan %q: %w", p.ID, err)
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	var version int64
	var added bool
	err = db.inTx(ctx, func(tx *sqlx.Tx) error {
		var last struct {
			Version int64  `db:"version"`
			Digest  string `db:"digest"`
		}
		err := tx.GetContext(ctx, &last, "SELECT version, digest FROM plan_versions ORDER BY version DESC LIMIT 1")
		switch {
		case err == nil && last.Digest == digest:
			version = last.Version
			return nil
		case err != nil && !isNoRows(err):
			return fmt.Errorf("read plan versions: %w", err)
		}
		if err := db.savePlan(ctx, tx, p, actor, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM milestones WHERE plan_id <> $1", p.ID); err != nil {
			return fmt.Errorf("delete the earlier plan's milestones: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM plans WHERE id <> $1", p.ID); err != nil {
			return fmt.Errorf("delete the earlier plan: %w", err)
		}
		err = tx.GetContext(ctx, &version, `INSERT INTO plan_versions (plan_id, title_vi, milestones, body, digest, source, loaded_by, loaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING version`,
			p.ID, p.TitleVI, len(p.Milestones), string(body), digest, source, actor, utc(at))
		if err != nil {
			return fmt.Errorf("write plan version: %w", err)
		}
		added = true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: load plan %q: %w", p.ID, err)
	}
	return version, added, nil
}

// PlanVersions lists every plan version loaded, the newest first; the
// newest is the active one.
func (db *DB) PlanVersions(ctx context.Context) ([]PlanVersion, error) {
	var out []PlanVersion
	if err := db.db.SelectContext(ctx, &out, `SELECT version, plan_id, title_vi, milestones, source, loaded_by, loaded_at
		FROM plan_versions ORDER BY version DESC`); err != nil {
		return nil, fmt.Errorf("store: list plan versions: %w", err)
	}
	for i := range out {
		out[i].LoadedAt = out[i].LoadedAt.UTC()
		out[i].Active = i == 0
	}
	return out, nil
}

// PlanOfVersion returns the plan as a version loaded it; ErrNotFound if
// there is no such version.
func (db *DB) PlanOfVersion(ctx context.Context, version int64) (Plan, error) {
	var body string
	err := db.db.GetContext(ctx, &body, "SELECT body FROM plan_versions WHERE version = $1", version)
	if isNoRows(err) {
		return Plan{}, fmt.Errorf("store: plan version %d: %w", version, ErrNotFound)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("store: read plan version %d: %w", version, err)
	}
	var p Plan
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return Plan{}, fmt.Errorf("store: plan version %d: %w", version, err)
	}
	for i := range p.Milestones {
		m := &p.Milestones[i]
		m.Start, m.Deadline = m.Start.In(db.loc), m.Deadline.In(db.loc)
		for j := range m.Steps {
			m.Steps[j].By = m.Steps[j].By.In(db.loc)
		}
	}
	return p, nil
}

// CheckPlan reports what would make p wrong for this store, as a plan
// file's problems without a line: a group it names that does not exist,
// or a milestone that would have no commune (or, reporting per district,
// no district) to be about.
func (db *DB) CheckPlan(ctx context.Context, p Plan) (PlanErrors, error) {
	groups, err := db.Groups(ctx)
	if err != nil {
		return nil, err
	}
	communes, err := db.Communes(ctx, Scope{})
	if err != nil {
		return nil, err
	}
	var bad PlanErrors
	for _, m := range p.Milestones {
		missing := false
		for field, g := range map[string]string{"communes.group": m.Communes.Group, "communes.except_group": m.Communes.ExceptGroup} {
			if g != "" && len(groups[g]) == 0 {
				bad = append(bad, PlanError{Milestone: m.ID, Field: field, Problem: ProblemUnknownGroup, Value: g})
				missing = true
			}
		}
		if missing {
			continue // no commune is an effect of the group, said already
		}
		n := 0
		for _, c := range communes {
			if m.Communes.Match(c, groups) {
				n++
			}
		}
		if n == 0 {
			bad = append(bad, PlanError{Milestone: m.ID, Field: "communes", Problem: ProblemNoCommunes})
		}
	}
	slices.SortStableFunc(bad, func(a, b PlanError) int { return strings.Compare(a.Milestone+a.Field, b.Milestone+b.Field) })
	return bad, nil
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
	rm := roadmapJSON{Goal: m.Goal}
	for _, st := range m.Steps {
		rm.Steps = append(rm.Steps, struct {
			By   string `json:"by"`
			Goal Goal   `json:"goal"`
		}{st.By.Format(dateLayout), st.Goal})
	}
	roadmap, err := json.Marshal(rm)
	if err != nil {
		return fmt.Errorf("milestone %q: roadmap: %w", m.ID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO milestones (`+milestoneColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET plan_id = excluded.plan_id, seq = excluded.seq, title_vi = excluded.title_vi,
			title_en = excluded.title_en, kind = excluded.kind, selector = excluded.selector, posts = excluded.posts,
			target = excluded.target, start_date = excluded.start_date, deadline = excluded.deadline, reminders = excluded.reminders,
			roadmap = excluded.roadmap, reporters = excluded.reporters`,
		m.ID, planID, m.Seq, m.TitleVI, m.TitleEN, m.Kind, string(selector), string(postsJSON), m.Target,
		dateValue(&m.Start), dateValue(&m.Deadline), string(reminders), string(roadmap), reportersValue(m.Reporters))
	if err != nil {
		return fmt.Errorf("write milestone %q: %w", m.ID, err)
	}
	return nil
}

// Plans returns every plan by id, each with its milestones by seq.
func (db *DB) Plans(ctx context.Context) ([]Plan, error) {
	var planRows []struct {
		Plan
		Eligibility string `db:"eligibility"`
		Counts      string `db:"counts"`
	}
	if err := db.db.SelectContext(ctx, &planRows, "SELECT id, title_vi, title_en, eligibility, counts FROM plans ORDER BY id"); err != nil {
		return nil, fmt.Errorf("store: list plans: %w", err)
	}
	plans := make([]Plan, len(planRows))
	verified := false
	for i, r := range planRows {
		plans[i] = r.Plan
		plans[i].CountVerified = r.Counts == countsVerified
		verified = verified || plans[i].CountVerified
		if r.Eligibility != "" {
			if err := json.Unmarshal([]byte(r.Eligibility), &plans[i].Eligibility); err != nil {
				return nil, fmt.Errorf("store: plan %q: eligibility: %w", r.ID, err)
			}
		}
	}
	db.verified.Store(verified)
	var rows []milestoneRow
	if err := db.db.SelectContext(ctx, &rows, milestoneSelect+" ORDER BY plan_id, seq, id"); err != nil {
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
	err := db.db.GetContext(ctx, &r, milestoneSelect+" WHERE id = $1", id)
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

// reportersValue is how a milestone's reporters are stored: the
// districts unless the units.
func reportersValue(r Reporters) Reporters {
	if r == ReportersUnits {
		return r
	}
	return ReportersDistricts
}

// submissionsSQL selects the filings of districts and of reporting units
// as one list (milestone_id, district_code, at): a unit's code, which
// starts with a letter, never equals a district's.
const submissionsSQL = `SELECT milestone_id, district_code, at FROM submissions
	UNION ALL SELECT milestone_id, unit_code AS district_code, at FROM unit_submissions`

// Submissions returns the codes of the districts (or reporting units)
// that filed a milestone's report, sorted.
func (db *DB) Submissions(ctx context.Context, milestoneID string) ([]string, error) {
	var out []string
	a := args{milestoneID}
	if err := db.db.SelectContext(ctx, &out, "SELECT district_code FROM ("+submissionsSQL+") s WHERE milestone_id = $1"+db.recordedBefore("at", &a)+" ORDER BY district_code", a...); err != nil {
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
	var a args
	if err := db.db.SelectContext(ctx, &out, "SELECT milestone_id, district_code, at FROM ("+submissionsSQL+") s WHERE 1 = 1"+db.recordedBefore("at", &a)+" ORDER BY milestone_id, district_code", a...); err != nil {
		return nil, fmt.Errorf("store: list submissions: %w", err)
	}
	return out, nil
}
