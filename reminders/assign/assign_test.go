package assign

import (
	"math/rand/v2"
	"testing"
)

// bruteForce tries every assignment of people to their edges' groups (or
// none) within the capacities and returns the least total.
func bruteForce(p Problem) Cost {
	load := make([]int, len(p.Capacity))
	best, found := Cost{}, false
	var walk func(i int, total Cost)
	walk = func(i int, total Cost) {
		if i == len(p.Edges) {
			if !found || total.Less(best) {
				best, found = total, true
			}
			return
		}
		walk(i+1, total) // unplaced
		for _, e := range p.Edges[i] {
			if load[e.Group] < p.Capacity[e.Group] {
				load[e.Group]++
				walk(i+1, total.Add(e.Cost))
				load[e.Group]--
			}
		}
	}
	walk(0, Cost{})
	return best
}

// randomProblem draws people with a random subset of groups each, at
// negative costs whose major part repeats often (ties are where a wrong
// potential shows).
func randomProblem(r *rand.Rand, people, groups int) Problem {
	p := Problem{Capacity: make([]int, groups), Edges: make([][]Edge, people)}
	for g := range p.Capacity {
		p.Capacity[g] = r.IntN(3) // 0, 1 or 2 seats
	}
	for i := range p.Edges {
		for g := range groups {
			if r.IntN(3) == 0 {
				continue // not eligible
			}
			p.Edges[i] = append(p.Edges[i], Edge{Group: g, Cost: Cost{Major: -int64(1 + r.IntN(3)), Minor: int64(r.IntN(5))}})
		}
	}
	return p
}

func TestSolveMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 2020))
	for n := range 3000 {
		people, groups := 1+r.IntN(6), 1+r.IntN(5)
		p := randomProblem(r, people, groups)
		got := Solve(p)
		want := bruteForce(p)
		if got.Total != want {
			t.Fatalf("case %d (%d people, %d groups): total %+v, brute force %+v; problem %+v; assignment %v", n, people, groups, got.Total, want, p, got.Group)
		}
		checkFeasible(t, p, got)
	}
}

// checkFeasible checks that every placement is an edge of the problem,
// that no group holds more than its seats, and that Total adds up.
func checkFeasible(t *testing.T, p Problem, s Solution) {
	t.Helper()
	load := make([]int, len(p.Capacity))
	var total Cost
	for i, g := range s.Group {
		if g < 0 {
			continue
		}
		ok := false
		for _, e := range p.Edges[i] {
			if e.Group == g {
				ok, total = true, total.Add(e.Cost)
			}
		}
		if !ok {
			t.Fatalf("person %d given group %d, not one of theirs", i, g)
		}
		if load[g]++; load[g] > p.Capacity[g] {
			t.Fatalf("group %d over its %d seats", g, p.Capacity[g])
		}
	}
	if total != s.Total {
		t.Fatalf("total %+v, placements add up to %+v", s.Total, total)
	}
}

// The pruning keeps a person's cheapest groups up to as many seats as
// there are people; many people competing for a few cheap seats, with the
// rest far down their lists, is where a wrong bound would show.
func TestSolveCrowdedCheapSeats(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for n := range 500 {
		people, groups := 2+r.IntN(5), 6+r.IntN(3)
		p := Problem{Capacity: make([]int, groups), Edges: make([][]Edge, people)}
		for g := range p.Capacity {
			p.Capacity[g] = 1
		}
		for i := range p.Edges {
			for g := range groups {
				// Group 0 is everyone's first choice; the others are
				// ranked differently by each person.
				c := Cost{Major: -10, Minor: int64(r.IntN(100))}
				if g == 0 {
					c = Cost{Major: -20}
				}
				p.Edges[i] = append(p.Edges[i], Edge{Group: g, Cost: c})
			}
		}
		got := Solve(p)
		if want := bruteForce(p); got.Total != want {
			t.Fatalf("case %d: total %+v, brute force %+v", n, got.Total, want)
		}
		checkFeasible(t, p, got)
	}
}

func TestSolveLexicographic(t *testing.T) {
	// One urgent seat far away beats any number of near seats of a later
	// milestone: Major decides before Minor.
	p := Problem{
		Capacity: []int{1, 1},
		Edges: [][]Edge{
			{{Group: 0, Cost: Cost{Major: -2, Minor: 900}}, {Group: 1, Cost: Cost{Major: -1, Minor: 0}}},
		},
	}
	if s := Solve(p); s.Group[0] != 0 {
		t.Fatalf("person given group %d, want the urgent group 0", s.Group[0])
	}
	// No edge, or a group without seats: unplaced.
	p = Problem{Capacity: []int{0}, Edges: [][]Edge{{{Group: 0, Cost: Cost{Major: -1}}}, nil}}
	if s := Solve(p); s.Group[0] != -1 || s.Group[1] != -1 {
		t.Fatalf("placed %v, want nobody", s.Group)
	}
}
