package webapp

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/caxbot/caxbot/store"
)

// roster is the part of the store that changes only with an import or a
// plan load, kept in memory like the bot keeps it: the national
// overview would otherwise read 10,000 communes for every request. It is
// read again when the store's roster generation moves.
type roster struct {
	generation int64
	provinces  map[string]store.Province
	districts  map[string]store.District
	communes   map[string]store.Commune
	ofProvince map[string][]store.District // by code
	ofDistrict map[string][]store.Commune  // by code
	allDist    []store.District
	allComm    []store.Commune
	groups     map[string]map[string]bool
	units      map[string]store.ReportingUnit   // the departments, by code
	ofUnits    map[string][]store.ReportingUnit // a province's, by code
	allUnits   []store.ReportingUnit
	milestones []store.Milestone // of every plan, by deadline
}

type rosterCache struct {
	mu  sync.Mutex
	cur *roster
}

// get returns the roster as of the store's current generation: one
// small query when nothing changed.
func (c *rosterCache) get(ctx context.Context, db *store.DB) (*roster, error) {
	gen, err := db.RosterGeneration(ctx)
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.generation == gen {
		return c.cur, nil
	}
	r, err := readRoster(ctx, db, gen)
	if err != nil {
		return nil, err
	}
	c.cur = r
	return r, nil
}

func readRoster(ctx context.Context, db *store.DB, gen int64) (*roster, error) {
	ps, err := db.Provinces(ctx)
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	ds, err := db.Districts(ctx, store.Scope{})
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	cs, err := db.Communes(ctx, store.Scope{})
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	groups, err := db.Groups(ctx)
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	us, err := db.ReportingUnits(ctx, store.Scope{})
	if err != nil {
		return nil, fmt.Errorf("webapp: roster: %w", err)
	}
	r := &roster{
		generation: gen, groups: groups, allDist: ds, allComm: cs,
		provinces:  make(map[string]store.Province, len(ps)),
		districts:  make(map[string]store.District, len(ds)),
		communes:   make(map[string]store.Commune, len(cs)),
		ofProvince: make(map[string][]store.District),
		ofDistrict: make(map[string][]store.Commune),
		units:      make(map[string]store.ReportingUnit, len(us)),
		ofUnits:    make(map[string][]store.ReportingUnit),
		allUnits:   us,
	}
	for _, u := range us {
		r.units[u.Code] = u
		r.ofUnits[u.ProvinceCode] = append(r.ofUnits[u.ProvinceCode], u)
	}
	for _, p := range ps {
		r.provinces[p.Code] = p
	}
	for _, d := range ds {
		r.districts[d.Code] = d
		r.ofProvince[d.ProvinceCode] = append(r.ofProvince[d.ProvinceCode], d)
	}
	for _, c := range cs {
		r.communes[c.Code] = c
		r.ofDistrict[c.DistrictCode] = append(r.ofDistrict[c.DistrictCode], c)
	}
	for _, pl := range plans {
		r.milestones = append(r.milestones, pl.Milestones...)
	}
	sort.SliceStable(r.milestones, func(i, j int) bool { return r.milestones[i].Deadline.Before(r.milestones[j].Deadline) })
	return r, nil
}

func (r *roster) districtOf(commune string) string  { return r.communes[commune].DistrictCode }
func (r *roster) provinceOf(district string) string { return r.districts[district].ProvinceCode }

// covers reports whether a user's scope includes t: the bot's rule
// (store.Scope.Covers, and a department lies in its province), with the
// same lookups.
func (r *roster) covers(s, t store.Scope) bool {
	if t.Role == store.RoleUnit && !s.All() {
		u, ok := r.units[t.Code]
		return ok && (s == t || s.Role == store.RoleProvince && u.ProvinceCode == s.Code)
	}
	return s.Covers(t, r.districtOf, r.provinceOf)
}

// known reports whether the scope names a place of the roster.
func (r *roster) known(s store.Scope) bool {
	switch s.Role {
	case store.RoleNational:
		return true
	case store.RoleProvince:
		_, ok := r.provinces[s.Code]
		return ok
	case store.RoleDistrict:
		_, ok := r.districts[s.Code]
		return ok
	case store.RoleCommune:
		_, ok := r.communes[s.Code]
		return ok
	case store.RoleUnit:
		_, ok := r.units[s.Code]
		return ok
	}
	return false
}

// unitsWithin returns the departments whose milestones the scope sees: a
// province's, or the country's; a district or a commune sees none, as in
// the chat.
func (r *roster) unitsWithin(s store.Scope) []store.ReportingUnit {
	switch s.Role {
	case store.RoleProvince:
		return r.ofUnits[s.Code]
	case store.RoleNational:
		return r.allUnits
	}
	return nil
}

// within returns the districts and communes inside the scope.
func (r *roster) within(s store.Scope) ([]store.District, []store.Commune) {
	switch s.Role {
	case store.RoleProvince:
		var cs []store.Commune
		for _, d := range r.ofProvince[s.Code] {
			cs = append(cs, r.ofDistrict[d.Code]...)
		}
		return r.ofProvince[s.Code], cs
	case store.RoleDistrict:
		return []store.District{r.districts[s.Code]}, r.ofDistrict[s.Code]
	case store.RoleCommune:
		c := r.communes[s.Code]
		return []store.District{r.districts[c.DistrictCode]}, []store.Commune{c}
	}
	return r.allDist, r.allComm
}
