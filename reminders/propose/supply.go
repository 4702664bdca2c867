package propose

import (
	"github.com/caxbot/caxbot/store"
)

// Supply is a posts milestone's demand beside the register's supply, over
// one scope: what the digest and the periodic reviews show.
type Supply struct {
	Milestone store.Milestone
	// Gap counts the posts not yet at the milestone's target in the
	// communes behind (a kind with no post counts one), by kind and in
	// all.
	Gap       int
	GapByKind map[store.PostKind]int
	// Available counts the people of the register available on or before
	// the deadline whom the rule and the register allow in one of the
	// milestone's posts on that day.
	Available int
	// Fillable is the most of the gap those people could fill, each once
	// and only in a post they may hold; MetOnPaper says it is the whole
	// gap. Each milestone is weighed alone: people count for every
	// milestone whose posts they may hold.
	Fillable   int
	MetOnPaper bool
}

// SupplyOf weighs a posts milestone's progress (over any scope) against
// the register and the plan's eligibility rule. It is pure: the digest
// reads the register once for every milestone and scope.
func SupplyOf(p store.Progress, people []store.Candidate, rule store.Eligibility) Supply {
	m := p.Milestone
	s := Supply{Milestone: m, GapByKind: make(map[store.PostKind]int)}
	for _, c := range p.Behind() {
		for k, n := range c.Missing {
			s.GapByKind[k] += n
			s.Gap += n
		}
	}
	// People by the set of the milestone's kinds they may hold (a bit per
	// kind of m.Posts).
	bySet := make(map[int]int)
	deadline := dateUTC(m.Deadline)
	for _, c := range people {
		if c.Status != store.CandidateAvailable || c.AvailableFrom.After(deadline) {
			continue
		}
		set := 0
		for i, k := range m.Posts {
			if rule.Allows(c, k, deadline) {
				set |= 1 << i
			}
		}
		if set != 0 {
			bySet[set]++
			s.Available++
		}
	}
	s.Fillable = fillable(m.Posts, s.GapByKind, bySet)
	s.MetOnPaper = s.Fillable >= s.Gap
	return s
}

// fillable is the largest matching of people (grouped by the set of kinds
// they may hold) to the gaps of each kind: by the max-flow min-cut
// theorem, the least over every set T of kinds of the gaps of T plus the
// people who may hold some kind outside T. Milestones have at most three
// kinds, so eight sets.
func fillable(kinds []store.PostKind, gap map[store.PostKind]int, bySet map[int]int) int {
	best := -1
	for t := range 1 << len(kinds) {
		cut := 0
		for i, k := range kinds {
			if t&(1<<i) != 0 {
				cut += gap[k]
			}
		}
		for set, n := range bySet {
			if set&^t != 0 {
				cut += n
			}
		}
		if best < 0 || cut < best {
			best = cut
		}
	}
	return max(best, 0)
}

// Rule merges the eligibility rules of the plans in force.
func Rule(plans []store.Plan) store.Eligibility {
	var out store.Eligibility
	for _, p := range plans {
		for kind, r := range p.Eligibility {
			if out == nil {
				out = make(store.Eligibility)
			}
			out[kind] = r
		}
	}
	return out
}
