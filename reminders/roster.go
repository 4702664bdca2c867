package reminders

import (
	"context"
	"slices"
	"time"

	"github.com/caxbot/caxbot/store"
)

// roster is a scope's roster read once, from which any milestone's
// progress follows (store.Evaluate) without reading the store again: the
// jobs evaluate several milestones over the whole country, and the posts
// are counted once, in one SQL aggregate (store.DB.CountStatuses).
type roster struct {
	districts []store.District
	units     []store.ReportingUnit
	communes  []store.Commune
	groups    map[string]map[string]bool
	statuses  store.StatusCounts
	// past holds the counts as the reports had left them at the moments
	// readRoster was asked for (store.DB.CountStatusesSince), in order.
	pastAt []time.Time
	past   []store.StatusCounts
	// unverified are the posts whose last report waits for its
	// district's check.
	unverified store.StatusCounts
	submitted  map[string]map[string]time.Time // filings, by milestone and district
}

func readRoster(ctx context.Context, db *store.DB, scope store.Scope, past ...time.Time) (*roster, error) {
	r := &roster{submitted: make(map[string]map[string]time.Time)}
	var err error
	if r.districts, err = db.Districts(ctx, scope); err != nil {
		return nil, err
	}
	if r.communes, err = db.Communes(ctx, scope); err != nil {
		return nil, err
	}
	if r.units, err = db.ReportingUnits(ctx, scope); err != nil {
		return nil, err
	}
	if r.groups, err = db.Groups(ctx); err != nil {
		return nil, err
	}
	r.pastAt = past
	if r.statuses, r.past, err = db.CountStatusesSince(ctx, scope, past); err != nil {
		return nil, err
	}
	if r.unverified, err = db.UnverifiedCounts(ctx, scope); err != nil {
		return nil, err
	}
	subs, err := db.AllSubmissions(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range subs {
		if r.submitted[s.MilestoneID] == nil {
			r.submitted[s.MilestoneID] = make(map[string]time.Time)
		}
		r.submitted[s.MilestoneID][s.DistrictCode] = s.At
	}
	return r, nil
}

// progress evaluates milestone m over the roster.
func (r *roster) progress(m store.Milestone) store.Progress {
	return r.evaluate(m, r.statuses)
}

// pastProgress evaluates posts milestone m over the roster as the reports
// had left it at t, by district only: the communes behind then are left
// out, as a forecast needs only the figures. ok is false when t was not
// among the moments readRoster was given.
func (r *roster) pastProgress(m store.Milestone, t time.Time) (store.Progress, bool) {
	i := slices.IndexFunc(r.pastAt, t.Equal)
	if i < 0 {
		return store.Progress{}, false
	}
	p := r.evaluate(m, r.past[i])
	for i := range p.Districts {
		p.Districts[i].Behind = nil
	}
	return p, true
}

func (r *roster) evaluate(m store.Milestone, statuses store.StatusCounts) store.Progress {
	submitted := make(map[string]bool, len(r.submitted[m.ID]))
	for d := range r.submitted[m.ID] {
		submitted[d] = true
	}
	// The checks as they stand now, for the past too, as a view's
	// roster counts them.
	counts := statuses.For(m)
	counts.Unverify(m, r.unverified)
	return store.Evaluate(m, store.Roster{Districts: r.districts, Units: r.units, Communes: r.communes, Counts: counts, Groups: r.groups, Submitted: submitted})
}
