package assign

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSolveNational is the solver alone at the national scale the
// proposal benchmark uses (2,000 people, 10,000 seats in about 4,000
// groups, every person eligible for most of them, three urgency tiers and
// distances in the minor part); reminders/propose's benchmark measures the
// whole proposal on the real roster.
func BenchmarkSolveNational(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const people, groups = 2000, 4000
	p := Problem{Capacity: make([]int, groups), Edges: make([][]Edge, people)}
	type point struct{ x, y int64 }
	where := make([]point, groups)
	tier := make([]int64, groups)
	seats := 0
	for g := range groups {
		p.Capacity[g] = 1 + r.IntN(4)
		seats += p.Capacity[g]
		where[g] = point{r.Int64N(1600), r.Int64N(600)}
		tier[g] = int64(r.IntN(3))
	}
	for i := range people {
		home := point{r.Int64N(1600), r.Int64N(600)}
		for g := range groups {
			d := abs(home.x-where[g].x) + abs(home.y-where[g].y)
			p.Edges[i] = append(p.Edges[i], Edge{Group: g, Cost: Cost{Major: -(3 - tier[g]) * (people + 1), Minor: d}})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		s := Solve(p)
		placed := 0
		for _, g := range s.Group {
			if g >= 0 {
				placed++
			}
		}
		b.ReportMetric(float64(placed), "placed")
	}
	_ = seats
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
