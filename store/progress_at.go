package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ProgressAt evaluates a stored milestone over the scope as it stood at
// the moment: each post as the reports up to then left it (a post no
// report had reached yet did not exist), and the district reports filed
// by then. The roster's communes and groups are today's.
func (db *DB) ProgressAt(ctx context.Context, milestoneID string, s Scope, at time.Time) (Progress, error) {
	m, err := db.Milestone(ctx, milestoneID)
	if err != nil {
		return Progress{}, err
	}
	r, err := db.Roster(ctx, s, m)
	if err != nil {
		return Progress{}, err
	}
	reports, err := db.ReportsBetween(ctx, s, time.Time{}, at)
	if err != nil {
		return Progress{}, err
	}
	last := make(map[PostRef]Status)
	for _, rep := range reports {
		last[PostRef{rep.CommuneCode, rep.Kind, rep.Slot}] = rep.NewStatus
	}
	r.Counts = make(PostCounts)
	for ref, status := range last {
		if !slices.Contains(m.Posts, ref.Kind) {
			continue
		}
		kc := r.Counts[ref.CommuneCode][ref.Kind]
		kc.Posts++
		if status == m.target() {
			kc.AtTarget++
		}
		r.Counts.add(ref.CommuneCode, ref.Kind, kc)
	}
	var submitted []string
	if err := db.db.SelectContext(ctx, &submitted, "SELECT district_code FROM submissions WHERE milestone_id = $1 AND at < $2", m.ID, utc(at)); err != nil {
		return Progress{}, fmt.Errorf("store: list submissions of milestone %q: %w", m.ID, err)
	}
	r.Submitted = make(map[string]bool, len(submitted))
	for _, d := range submitted {
		r.Submitted[d] = true
	}
	return Evaluate(m, r), nil
}
