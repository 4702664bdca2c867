// Package assign solves the assignment at the heart of a posting proposal:
// people to groups of identical seats (a commune's vacant posts of one
// kind), each person to at most one seat, each pair at a cost, the total
// cost least. Costs are pairs compared lexicographically, so that "first
// the most urgent posts, then near home" is exact, with no weight large
// enough to guess and no overflow.
//
// The method is the successive shortest augmenting path (the Hungarian
// method in its Jonker-Volgenant form) on a min-cost flow network: people
// are added one at a time, each along the cheapest path that may move
// others, with node potentials keeping every reduced cost non-negative so
// that Dijkstra finds the path. Each person may also stay unplaced, at cost
// zero, through a seat of their own. The network is made sparse without
// losing optimality: a person needs only their cheapest groups up to as
// many seats as there are people (some such seat is always free to swap
// into), so at national scale a person keeps a few thousand of the ten
// thousand vacancies. No maintained Go library does this: the ones found
// solve square dense matrices of float64s, with no forbidden pairs and no
// capacities.
//
// The package imports nothing of caxbot: it is a leaf.
package assign

import "slices"

// Cost is a lexicographic cost: Major first, then Minor.
type Cost struct {
	Major, Minor int64
}

// Less reports whether c is cheaper than d.
func (c Cost) Less(d Cost) bool {
	return c.Major < d.Major || (c.Major == d.Major && c.Minor < d.Minor)
}

// Add returns c + d.
func (c Cost) Add(d Cost) Cost { return Cost{c.Major + d.Major, c.Minor + d.Minor} }

// Sub returns c - d.
func (c Cost) Sub(d Cost) Cost { return Cost{c.Major - d.Major, c.Minor - d.Minor} }

// Edge is a group a person may be given, at a cost.
type Edge struct {
	Group int
	Cost  Cost
}

// Problem is an assignment to solve. Capacity holds each group's number
// of seats; Edges lists, for each person, the groups they may be given
// (each at most once), in any order. A person with no edge stays
// unplaced.
type Problem struct {
	Capacity []int
	Edges    [][]Edge
}

// Solution is an optimal assignment: Group[i] is person i's group, or -1
// when they stay unplaced; Total is the cost of the placed pairs.
type Solution struct {
	Group []int
	Total Cost
}

// Solve returns an assignment of least total cost. Staying unplaced costs
// zero, so only edges that cost less than zero are worth making (a person
// whose cheapest edge costs exactly zero may go either way). The same
// problem always gives the same answer.
func Solve(p Problem) Solution {
	s := newSolver(p)
	for i := range s.people {
		s.augment(i)
	}
	out := Solution{Group: make([]int, s.people)}
	for i := range s.people {
		out.Group[i] = -1
		if g := s.at[i]; g >= 0 && g < s.groups {
			out.Group[i] = g
			out.Total = out.Total.Add(s.cost(i, g))
		}
	}
	return out
}

// Node numbering: people [0, P), groups [P, P+G), each person's own
// "unplaced" seat [P+G, 2P+G), the sink 2P+G. A person's position at[i]
// is a group index (0..G-1), G+i for their own seat, or -1 before they
// are added.
type solver struct {
	people, groups int
	capacity       []int
	edges          [][]Edge      // pruned, cheapest first
	members        [][]int       // people in each group
	at             []int         // each person's position
	pot            []Cost        // node potentials
	costOf         []map[int]int // person → group → index in edges, for reverse arcs

	// Dijkstra's state, reset after each search.
	dist    []Cost
	seen    []bool
	done    []bool
	prev    []int
	touched []int
	queue   queue
}

func newSolver(p Problem) *solver {
	P, G := len(p.Edges), len(p.Capacity)
	s := &solver{
		people: P, groups: G,
		capacity: p.Capacity,
		edges:    make([][]Edge, P),
		members:  make([][]int, G),
		at:       make([]int, P),
		costOf:   make([]map[int]int, P),
	}
	n := 2*P + G + 1
	s.pot = make([]Cost, n)
	s.dist = make([]Cost, n)
	s.seen = make([]bool, n)
	s.done = make([]bool, n)
	s.prev = make([]int, n)
	for i, es := range p.Edges {
		s.at[i] = -1
		s.edges[i] = cheapest(es, p.Capacity, P)
		s.costOf[i] = make(map[int]int, len(s.edges[i]))
		for k, e := range s.edges[i] {
			s.costOf[i][e.Group] = k
		}
	}
	// Potentials that make every arc's reduced cost non-negative before
	// any flow: a group's is its cheapest incoming cost, the sink's the
	// least of all.
	first := make([]bool, G)
	for _, es := range s.edges {
		for _, e := range es {
			if !first[e.Group] || e.Cost.Less(s.pot[P+e.Group]) {
				s.pot[P+e.Group], first[e.Group] = e.Cost, true
			}
		}
	}
	sink := s.sink()
	for g := range G {
		if s.pot[P+g].Less(s.pot[sink]) {
			s.pot[sink] = s.pot[P+g]
		}
	}
	return s
}

// cheapest keeps a person's cheapest edges up to people seats: in an
// optimal assignment a person given a dearer group could move to one of
// those seats, one of which the others cannot all fill, at no greater
// cost. Groups without a seat are dropped. It selects in expected linear
// time, by partitioning around a pivot as quickselect does, weighing each
// edge by its group's seats; the edges kept are in no particular order.
func cheapest(es []Edge, capacity []int, people int) []Edge {
	rest := make([]Edge, 0, len(es))
	for _, e := range es {
		if capacity[e.Group] > 0 {
			rest = append(rest, e)
		}
	}
	var out []Edge
	need := people
	for len(rest) > 0 && need > 0 {
		pivot := rest[len(rest)/2]
		// Partition in place: cheaper than the pivot first, then dearer;
		// the pivot itself (edges are distinct by group) is left out.
		lo, hi := 0, len(rest)-1
		for lo <= hi {
			switch {
			case rest[lo].Group == pivot.Group:
				rest[lo], rest[hi] = rest[hi], rest[lo]
				hi--
			case before(rest[lo], pivot):
				lo++
			default:
				rest[lo], rest[hi] = rest[hi], rest[lo]
				hi--
			}
		}
		cheaper, dearer := rest[:lo], rest[lo:]
		seats := 0
		for _, e := range cheaper {
			seats += capacity[e.Group]
		}
		if seats >= need {
			rest = cheaper
			continue
		}
		out = append(out, cheaper...)
		out = append(out, pivot)
		need -= seats + capacity[pivot.Group]
		rest = slices.DeleteFunc(dearer, func(e Edge) bool { return e.Group == pivot.Group })
	}
	return out
}

// before orders edges cheapest first, then by group, a strict order.
func before(a, b Edge) bool {
	if a.Cost != b.Cost {
		return a.Cost.Less(b.Cost)
	}
	return a.Group < b.Group
}

func (s *solver) sink() int           { return 2*s.people + s.groups }
func (s *solver) groupNode(g int) int { return s.people + g }
func (s *solver) ownSeat(i int) int   { return s.people + s.groups + i }

func (s *solver) cost(i, g int) Cost { return s.edges[i][s.costOf[i][g]].Cost }

// reduced is the reduced cost of the arc u→v of cost c.
func (s *solver) reduced(u, v int, c Cost) Cost { return c.Add(s.pot[u]).Sub(s.pot[v]) }

// augment adds person src along the cheapest path to the sink.
func (s *solver) augment(src int) {
	sink := s.sink()
	s.relax(-1, src, Cost{})
	for len(s.queue) > 0 {
		it := s.queue.pop()
		u := it.node
		if s.done[u] || s.dist[u] != it.dist {
			continue
		}
		s.done[u] = true
		if u == sink {
			break
		}
		s.expand(u)
	}
	// Potentials: finalised nodes move by their distance less the sink's,
	// which keeps every reduced cost non-negative and makes the path's
	// arcs tight; the others keep theirs (a uniform shift changes no
	// reduced cost).
	for _, v := range s.touched {
		if s.done[v] {
			s.pot[v] = s.pot[v].Add(s.dist[v]).Sub(s.dist[sink])
		}
	}
	s.flip(src)
	for _, v := range s.touched {
		s.seen[v], s.done[v] = false, false
	}
	s.touched = s.touched[:0]
	s.queue = s.queue[:0]
}

// expand relaxes the residual arcs out of node u.
func (s *solver) expand(u int) {
	P, G := s.people, s.groups
	sink := s.sink()
	switch {
	case u < P: // a person: to any of their groups but their own, to their own seat
		for _, e := range s.edges[u] {
			if s.at[u] != e.Group {
				v := s.groupNode(e.Group)
				s.relax(u, v, s.dist[u].Add(s.reduced(u, v, e.Cost)))
			}
		}
		if s.at[u] != G+u {
			v := s.ownSeat(u)
			s.relax(u, v, s.dist[u].Add(s.reduced(u, v, Cost{})))
		}
	case u < P+G: // a group: back to its members, on to the sink if a seat is free
		g := u - P
		for _, j := range s.members[g] {
			s.relax(u, j, s.dist[u].Add(s.reduced(u, j, Cost{}.Sub(s.cost(j, g)))))
		}
		if len(s.members[g]) < s.capacity[g] {
			s.relax(u, sink, s.dist[u].Add(s.reduced(u, sink, Cost{})))
		}
	case u < sink: // a person's own seat: back to them if they sit there, else on to the sink
		i := u - P - G
		if s.at[i] == G+i {
			s.relax(u, i, s.dist[u].Add(s.reduced(u, i, Cost{})))
		} else {
			s.relax(u, sink, s.dist[u].Add(s.reduced(u, sink, Cost{})))
		}
	}
}

func (s *solver) relax(from, v int, d Cost) {
	if s.done[v] || (s.seen[v] && !d.Less(s.dist[v])) {
		return
	}
	if !s.seen[v] {
		s.seen[v] = true
		s.touched = append(s.touched, v)
	}
	s.dist[v], s.prev[v] = d, from
	s.queue.push(item{node: v, dist: d})
}

// flip moves people along the path found, from the sink back to src.
func (s *solver) flip(src int) {
	P, G := s.people, s.groups
	v := s.sink()
	for v != src {
		u := s.prev[v]
		switch {
		case u < P && v < P+G: // person u takes a seat of group v
			s.move(u, v-P)
		case u < P: // person u takes their own seat
			s.move(u, G+u)
		}
		v = u
	}
}

// move puts person i at position to, leaving where they were.
func (s *solver) move(i, to int) {
	if from := s.at[i]; from >= 0 && from < s.groups {
		m := s.members[from]
		for k, j := range m {
			if j == i {
				s.members[from] = append(m[:k], m[k+1:]...)
				break
			}
		}
	}
	s.at[i] = to
	if to < s.groups {
		s.members[to] = append(s.members[to], i)
	}
}

type item struct {
	node int
	dist Cost
}

// queue is Dijkstra's priority queue, nearest first: a binary heap
// written out for its one type, as container/heap's interface calls
// cost as much as the search itself.
type queue []item

func (q queue) less(i, j int) bool {
	if q[i].dist != q[j].dist {
		return q[i].dist.Less(q[j].dist)
	}
	return q[i].node < q[j].node
}

func (q *queue) push(it item) {
	*q = append(*q, it)
	h := *q
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (q *queue) pop() item {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h.less(l, m) {
			m = l
		}
		if r < len(h) && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}
