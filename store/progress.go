package store

import (
	"slices"
	"sort"
)

// Roster is the part of the store that a milestone's progress is computed
// from. Counts are the communes' posts counted for the milestone; Groups
// maps a group name to its commune codes; Submitted holds the district
// codes that filed the report a KindDistrictReport milestone asks for
// (and the reporting units' codes, for one asked of Units).
type Roster struct {
	Districts []District
	Units     []ReportingUnit
	Communes  []Commune
	Counts    PostCounts
	Groups    map[string]map[string]bool
	Submitted map[string]bool
	// Unverified is what UnverifiedCounts read for the scope, now, when
	// the roster was read for the present: a forecast over the same
	// scope (ForecastOver) needs it too.
	Unverified StatusCounts
}

// KindCount is how many posts of one kind a commune has, and how many of
// them are at a milestone's target status.
type KindCount struct {
	Posts    int
	AtTarget int
	// Unverified counts the posts reported at the target status whose
	// last report waits for its district's check (or was sent back).
	// AtTarget counts them only when the plan counts reported changes.
	Unverified int
}

// PostCounts holds, by commune code, a KindCount per post kind.
type PostCounts map[string]map[PostKind]KindCount

func (pc PostCounts) add(commune string, kind PostKind, kc KindCount) {
	if pc[commune] == nil {
		pc[commune] = make(map[PostKind]KindCount)
	}
	pc[commune][kind] = kc
}

// target is the status the milestone's posts must reach.
func (m Milestone) target() Status {
	if m.Target == "" {
		return Regular
	}
	return m.Target
}

// CountPosts counts posts for the milestone, by commune and kind: what
// the store's Roster counts in SQL, for a caller that holds the posts.
func CountPosts(m Milestone, posts []Post) PostCounts {
	out := make(PostCounts)
	for _, p := range posts {
		if !slices.Contains(m.Posts, p.Kind) {
			continue
		}
		kc := out[p.CommuneCode][p.Kind]
		kc.Posts++
		if p.Status == m.target() {
			kc.AtTarget++
		}
		out.add(p.CommuneCode, p.Kind, kc)
	}
	return out
}

// CommuneProgress is one commune's standing on a milestone. Commune
// points into the evaluated roster's communes, read it, never write it:
// the weekly digest job evaluates every started milestone over the
// country, and a copy per commune behind was 2 MiB of its live heap.
type CommuneProgress struct {
	Commune *Commune
	Done    bool
	// Missing counts, per kind, the posts not yet at the target status; a
	// kind with no post at all counts as one missing post. The communes
	// of one evaluation that lack the same posts share one map (Evaluate):
	// read it, never write it.
	Missing map[PostKind]int
}

// DistrictProgress is one district's standing on a milestone. For a
// KindDistrictReport milestone the district itself is the unit: Total is 1.
type DistrictProgress struct {
	District District
	Total    int
	Done     int
	// Posts counts the listed posts of the district's chosen communes (a
	// kind a commune has no post of counts as one), AtTarget those at the
	// target status: what a share goal measures.
	Posts    int
	AtTarget int
	// Unverified counts the posts at the target status whose report waits
	// for the district's check; AtTarget leaves them out when the
	// milestone counts verified changes.
	Unverified int
	Behind     []CommuneProgress // communes not done, by code
}

// Meets reports whether the district meets goal: every commune done, or
// for a share goal, the share of its posts at the target status.
func (d DistrictProgress) Meets(g Goal) bool { return g.met(d.Done, d.Total, d.AtTarget, d.Posts) }

// Progress is a milestone's standing over a scope.
type Progress struct {
	Milestone Milestone
	Total     int
	Done      int
	Posts     int
	AtTarget  int
	// Unverified is the districts' Unverified, summed.
	Unverified int
	Districts  []DistrictProgress // by district code; districts with nothing to do are left out
}

// Met reports whether the scope as a whole meets the milestone's goal:
// every district's commune done, or for a share goal, the share of all
// its posts.
func (p Progress) Met() bool {
	return p.Milestone.Goal.met(p.Done, p.Total, p.AtTarget, p.Posts)
}

// MetDistricts counts the districts that meet the goal.
func (p Progress) MetDistricts() int {
	n := 0
	for _, d := range p.Districts {
		if d.Meets(p.Milestone.Goal) {
			n++
		}
	}
	return n
}

// Measure is what the milestone's goal counts over the scope: posts at the
// target status of all listed posts for a share goal, communes (or for a
// district_report milestone, districts) done of all otherwise, and the
// least value that meets the goal.
func (p Progress) Measure() (value, of, need int) {
	return p.Milestone.Goal.measure(p.Done, p.Total, p.AtTarget, p.Posts)
}

// Measure is Progress.Measure for one district.
func (d DistrictProgress) Measure(g Goal) (value, of, need int) {
	return g.measure(d.Done, d.Total, d.AtTarget, d.Posts)
}

func (g Goal) measure(done, total, atTarget, posts int) (value, of, need int) {
	if g.Share > 0 {
		return atTarget, posts, (g.Share*posts + 99) / 100
	}
	return done, total, total
}

func (g Goal) met(done, total, atTarget, posts int) bool {
	value, _, need := g.measure(done, total, atTarget, posts)
	return value >= need
}

// Behind returns every commune not done, district by district.
func (p Progress) Behind() []CommuneProgress {
	var out []CommuneProgress
	for _, d := range p.Districts {
		out = append(out, d.Behind...)
	}
	return out
}

// District returns the progress of one district, if it has any.
func (p Progress) District(code string) (DistrictProgress, bool) {
	for _, d := range p.Districts {
		if d.District.Code == code {
			return d, true
		}
	}
	return DistrictProgress{}, false
}

// Match reports whether the selector chooses commune c.
func (s Selector) Match(c Commune, groups map[string]map[string]bool) bool {
	types := s.Types
	if len(types) == 0 {
		types = []CommuneType{Xa, ThiTran}
	}
	if !slices.Contains(types, c.Type) {
		return false
	}
	if len(s.Districts) > 0 && !slices.Contains(s.Districts, c.DistrictCode) {
		return false
	}
	if len(s.Codes) > 0 && !slices.Contains(s.Codes, c.Code) {
		return false
	}
	if s.Group != "" && !groups[s.Group][c.Code] {
		return false
	}
	if s.ExceptGroup != "" && groups[s.ExceptGroup][c.Code] {
		return false
	}
	return true
}

// Evaluate computes the milestone's progress over the roster. It is pure:
// the roster is whatever scope the caller loaded.
func Evaluate(m Milestone, r Roster) Progress { return evaluate(m, r, true) }

// evaluate is Evaluate; without behind, the districts' lists of communes
// behind are left empty, for a caller that only measures (a forecast
// evaluates twice per answer, and the lists were most of what it
// allocated).
func evaluate(m Milestone, r Roster, behind bool) Progress {
	if m.ForUnits() {
		return evaluateUnits(m, r)
	}
	byDistrict := make(map[string]*DistrictProgress)
	for _, d := range r.Districts {
		byDistrict[d.Code] = &DistrictProgress{District: d}
	}
	shared := make(missingMaps)
	for i := range r.Communes {
		c := &r.Communes[i]
		if !m.Communes.Match(*c, r.Groups) {
			continue
		}
		dp := byDistrict[c.DistrictCode]
		if dp == nil {
			continue // a commune whose district is outside the loaded roster
		}
		if m.Kind == KindDistrictReport {
			dp.Total = 1
			continue
		}
		cp := communeProgress(m, c, r.Counts[c.Code], shared)
		dp.Total++
		for _, kind := range m.Posts {
			kc := r.Counts[c.Code][kind]
			dp.Posts += max(kc.Posts, 1)
			dp.AtTarget += kc.AtTarget
			dp.Unverified += kc.Unverified
		}
		if cp.Done {
			dp.Done++
		} else if behind {
			dp.Behind = append(dp.Behind, cp)
		}
	}
	out := Progress{Milestone: m}
	for _, d := range r.Districts {
		dp := byDistrict[d.Code]
		if dp.Total == 0 {
			continue
		}
		if m.Kind == KindDistrictReport && r.Submitted[d.Code] {
			dp.Done = 1
		}
		sort.Slice(dp.Behind, func(i, j int) bool { return dp.Behind[i].Commune.Code < dp.Behind[j].Commune.Code })
		out.Total += dp.Total
		out.Done += dp.Done
		out.Posts += dp.Posts
		out.AtTarget += dp.AtTarget
		out.Unverified += dp.Unverified
		out.Districts = append(out.Districts, *dp)
	}
	sort.Slice(out.Districts, func(i, j int) bool { return out.Districts[i].District.Code < out.Districts[j].District.Code })
	return out
}

// evaluateUnits is Evaluate of a milestone asked of the reporting units:
// each unit stands in a DistrictProgress of its own (its code and name in
// District), done once it filed.
func evaluateUnits(m Milestone, r Roster) Progress {
	out := Progress{Milestone: m}
	for _, u := range r.Units {
		dp := DistrictProgress{District: District(u), Total: 1}
		if r.Submitted[u.Code] {
			dp.Done = 1
		}
		out.Total++
		out.Done += dp.Done
		out.Districts = append(out.Districts, dp)
	}
	sort.Slice(out.Districts, func(i, j int) bool { return out.Districts[i].District.Code < out.Districts[j].District.Code })
	return out
}

// communeProgress is a commune's standing: done when it has, of each
// listed kind, every post at the target status, or for a count goal that
// many of them (all where it has fewer), a kind it has no post of counting
// as one post short. Its Missing map comes from shared.
func communeProgress(m Milestone, c *Commune, counts map[PostKind]KindCount, shared missingMaps) CommuneProgress {
	cp := CommuneProgress{Commune: c, Done: true}
	var small [maxMilestoneKinds]int // no allocation for a milestone's few kinds
	missing := small[:min(len(m.Posts), maxMilestoneKinds)]
	if len(m.Posts) > maxMilestoneKinds {
		missing = make([]int, len(m.Posts))
	}
	for i, kind := range m.Posts {
		kc := counts[kind]
		need := max(kc.Posts, 1)
		if m.Goal.Count > 0 {
			need = min(need, m.Goal.Count)
		}
		if n := need - kc.AtTarget; n > 0 {
			missing[i] = n
			cp.Done = false
		}
	}
	if !cp.Done {
		cp.Missing = shared.of(m, missing)
	}
	return cp
}

// maxMilestoneKinds is the most post kinds a milestone lists: each kind
// once.
const maxMilestoneKinds = 3

// missingMaps are the Missing maps of one milestone's evaluation, by the
// posts missing of each of its kinds (in the order of Milestone.Posts).
// Communes lacking the same posts share one map: on the national roster
// nearly every commune behind lacks one of a few sets of posts, and a
// map per commune was 4 MiB of a weekly digest job's memory.
type missingMaps map[[maxMilestoneKinds]int]map[PostKind]int

// of returns the map of the posts missing, by index of m.Posts. A
// milestone listing more kinds than there are (a kind twice) gets a map
// of its own for each commune.
func (s missingMaps) of(m Milestone, missing []int) map[PostKind]int {
	var key [maxMilestoneKinds]int
	shared := copy(key[:], missing) == len(missing)
	if mm, ok := s[key]; ok && shared {
		return mm
	}
	mm := make(map[PostKind]int)
	for i, kind := range m.Posts {
		if missing[i] > 0 {
			mm[kind] = missing[i]
		}
	}
	if shared {
		s[key] = mm
	}
	return mm
}
