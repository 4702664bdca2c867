package propose

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/caxbot/caxbot/reminders/assign"
	"github.com/caxbot/caxbot/store"
)

// TestFillableIsTheLargestMatching checks the min-cut formula against
// the assignment solver, which places as many people as it can when
// every placement is worth the same.
func TestFillableIsTheLargestMatching(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	kinds := []store.PostKind{store.Chief, store.Deputy, store.Officer}
	for n := range 500 {
		gap := map[store.PostKind]int{}
		p := assign.Problem{Capacity: make([]int, 3)}
		for i, k := range kinds {
			gap[k] = r.IntN(4)
			p.Capacity[i] = gap[k]
		}
		bySet := map[int]int{}
		for range r.IntN(8) {
			set := 1 + r.IntN(7)
			bySet[set]++
			var edges []assign.Edge
			for i := range kinds {
				if set&(1<<i) != 0 {
					edges = append(edges, assign.Edge{Group: i, Cost: assign.Cost{Major: -1}})
				}
			}
			p.Edges = append(p.Edges, edges)
		}
		placed := 0
		for _, g := range assign.Solve(p).Group {
			if g >= 0 {
				placed++
			}
		}
		if got := fillable(kinds, gap, bySet); got != placed {
			t.Fatalf("case %d: fillable %d, largest matching %d (gaps %v, people %v)", n, got, placed, gap, bySet)
		}
	}
}

func TestSupplyOf(t *testing.T) {
	m := milestones()[0] // chiefs by 31/03/2020
	c := store.Commune{Code: "01000", Type: store.Xa, DistrictCode: "150"}
	progress := store.Progress{Milestone: m, Total: 3, Done: 1, Districts: []store.DistrictProgress{{Total: 3, Done: 1,
		Behind: []store.CommuneProgress{{Commune: &c, Missing: map[store.PostKind]int{store.Chief: 1}}, {Commune: &c, Missing: map[store.PostKind]int{store.Chief: 1}}}}}}
	since := day(2008, 9, 1)
	person := func(rank store.Rank, from time.Time) store.Candidate {
		return store.Candidate{Rank: rank, ServiceSince: &since, AvailableFrom: from, Status: store.CandidateAvailable}
	}
	early, late := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	rule := store.SeedPlan(ict).Eligibility
	s := SupplyOf(progress, []store.Candidate{person("dai_uy", early), person("thieu_uy", early), person("dai_uy", late)}, rule)
	// Two chiefs missing; one captain available in time (the lieutenant
	// may not be chief, the other captain comes after the deadline).
	if s.Gap != 2 || s.Available != 1 || s.Fillable != 1 || s.MetOnPaper {
		t.Errorf("supply %+v", s)
	}
}
