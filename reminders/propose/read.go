package propose

import (
	"context"
	"fmt"
	"time"

	"github.com/caxbot/caxbot/store"
)

// Read gathers a proposal's input from the store: the whole roster (homes
// may lie anywhere), the posts of the district asked for (or all), the
// active plans' milestones and eligibility rule, the escalations recorded
// and the register.
func Read(ctx context.Context, db *store.DB, day time.Time, district string) (Input, error) {
	in := Input{Day: day, District: district, Escalated: make(map[string]map[string]time.Time)}
	var err error
	if in.Districts, err = db.Districts(ctx, store.Scope{}); err != nil {
		return Input{}, err
	}
	if in.Communes, err = db.Communes(ctx, store.Scope{}); err != nil {
		return Input{}, err
	}
	if in.Groups, err = db.Groups(ctx); err != nil {
		return Input{}, err
	}
	scope := store.Scope{}
	if district != "" {
		scope = store.Scope{Role: store.RoleDistrict, Code: district}
	}
	if in.Posts, err = db.Posts(ctx, scope); err != nil {
		return Input{}, err
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return Input{}, err
	}
	for _, p := range plans {
		in.Milestones = append(in.Milestones, p.Milestones...)
	}
	in.Rule = Rule(plans)
	for _, m := range in.Milestones {
		if m.Kind != store.KindPosts {
			continue
		}
		esc, err := db.Escalations(ctx, m.ID)
		if err != nil {
			return Input{}, err
		}
		for _, e := range esc {
			if e.Level != store.EscalatedToDistrict {
				continue
			}
			if in.Escalated[m.ID] == nil {
				in.Escalated[m.ID] = make(map[string]time.Time)
			}
			in.Escalated[m.ID][e.CommuneCode] = e.At.In(day.Location())
		}
	}
	if in.People, err = db.Candidates(ctx); err != nil {
		return Input{}, fmt.Errorf("propose: %w", err)
	}
	return in, nil
}

// ProblemNotEligible marks an accepted row whose person the plan's
// eligibility rule or the register does not allow in the post (the rule
// may have changed since the proposal); Value is the person's name.
const ProblemNotEligible store.Problem = "not_eligible"

// Accept makes accepted postings real (store.DB.AcceptPostings) once each
// is checked against the eligibility rule in force, on its day: all or
// nothing, every problem by line.
func Accept(ctx context.Context, db *store.DB, postings []store.Posting, actor, source string, at time.Time) ([]store.Report, error) {
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	rule := Rule(plans)
	people, err := db.Candidates(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]store.Candidate, len(people))
	for _, c := range people {
		byID[c.ID] = c
	}
	var bad store.ImportErrors
	for _, p := range postings {
		if c, ok := byID[p.CandidateID]; ok && !rule.Allows(c, p.Ref.Kind, dateUTC(p.Day)) {
			bad = append(bad, store.ImportError{Line: p.Line, Column: "id", Problem: ProblemNotEligible, Value: c.Name})
		}
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return db.AcceptPostings(ctx, postings, actor, source, at)
}
