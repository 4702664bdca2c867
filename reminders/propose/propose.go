// Package propose proposes postings: which person of the register
// (graduates of the year, regular officers who can be transferred) to
// which commune post not yet held by regular police, so as to close first
// the milestones whose deadline is nearest and the communes escalated
// longest, then to keep people near home, and never to propose a post the
// plan's eligibility rule or the register does not allow. It also weighs
// supply against demand per milestone, for the digest and the reviews.
//
// Nothing here changes the store: a proposal is a workbook (or a chat
// message with buttons) until a person accepts rows, which
// store.DB.AcceptPostings makes reports.
package propose

import (
	"cmp"
	"slices"
	"time"

	"github.com/caxbot/caxbot/reminders/assign"
	"github.com/caxbot/caxbot/store"
)

// Input is everything a proposal is computed from, read once from the
// store (Read) or built by a test or a benchmark.
type Input struct {
	Day        time.Time // the posting day: midnight, in the plan's zone
	District   string    // only this district's posts; "" for every district
	Province   string    // only this province's posts; "" for every province
	Districts  []store.District
	Communes   []store.Commune
	Groups     map[string]map[string]bool
	Milestones []store.Milestone
	// Posts are the posts of the communes (any status); a commune with no
	// post of a kind a milestone asks for lacks one, in slot 1.
	Posts []store.Post
	// Escalated holds, by milestone and commune, the day a commune behind
	// was first named to its district (store.DB.Escalations).
	Escalated map[string]map[string]time.Time
	People    []store.Candidate
	Rule      store.Eligibility
	Distance  Distance // nil: by the administrative map (SameUnits)
}

// Distance says how far apart two communes are, in any unit that adds up
// (a smaller number is nearer).
type Distance func(a, b store.Commune) int64

// Seat is a post that a proposal may fill: not yet held by regular
// police, or missing altogether (Status "").
type Seat struct {
	Commune store.Commune
	Kind    store.PostKind
	Slot    int
	Status  store.Status // semi, vacant, or "" when the commune has no such post
	Holder  string
}

// Need is a milestone not yet met in a commune: the posts it still lacks.
type Need struct {
	Milestone store.Milestone
	Commune   store.Commune
	Gap       int // posts of the milestone's kinds not yet regular in the commune
	// Overdue is how many days the deadline has passed on the posting
	// day (0 when it has not); Escalated how many days since the commune
	// was first named to its district for it (0 when it was not).
	Overdue, Escalated int
}

// Row is one proposed posting.
type Row struct {
	Person store.Candidate
	Home   store.Commune
	Seat   Seat
	// Reason is the most urgent need the seat answers; Completes the
	// needs (milestones in this commune) that the proposal as a whole
	// meets, this row among others.
	Reason    Need
	Completes []Need
	Near      Nearness
}

// Nearness is how far a posting is from the person's home.
type Nearness int

const (
	SameCommune Nearness = iota
	SameDistrict
	SameProvince
	Elsewhere
)

// Unplaced is a person of the register the proposal does not place, and
// why.
type Unplaced struct {
	Person   store.Candidate
	Home     store.Commune
	Eligible []store.PostKind // the posts the rule and the register allow them
}

// Proposal is the result: each posting, the people left over, and the
// needs it answers or leaves open.
type Proposal struct {
	Day      time.Time
	District string
	Rows     []Row
	Unplaced []Unplaced
	Needs    []Need // every need in scope, most urgent first
	Seats    int    // posts not yet regular that a milestone asks for
	Waiting  int    // people not yet available on the day (AvailableFrom later)

	districtNames map[string]string
}

// group is a commune's seats of one kind: the unit the assignment fills.
type group struct {
	commune store.Commune
	kind    store.PostKind
	seats   []Seat
	need    Need // the most urgent need the seats answer
	tier    int
}

// Make computes a proposal.
func Make(in Input) Proposal {
	districtOf := make(map[string]store.District, len(in.Districts))
	for _, d := range in.Districts {
		districtOf[d.Code] = d
	}
	communes := make(map[string]store.Commune, len(in.Communes))
	for _, c := range in.Communes {
		communes[c.Code] = c
	}

	needs, groups := demand(in)
	out := Proposal{Day: in.Day, District: in.District, Needs: needs, districtNames: make(map[string]string, len(in.Districts))}
	for _, d := range in.Districts {
		out.districtNames[d.Code] = d.Name
	}
	for _, g := range groups {
		out.Seats += len(g.seats)
	}

	var people []store.Candidate
	for _, p := range in.People {
		switch {
		case p.Status != store.CandidateAvailable:
		case p.AvailableFrom.After(dateUTC(in.Day)):
			out.Waiting++
		default:
			people = append(people, p)
		}
	}
	// The cost of a posting: first the urgency of the post (a tier, the
	// most urgent 0), worth more than anything after it; then whether it
	// leaves the person's district; then the distance. Majors are
	// negative so that posting anyone beats posting no one.
	tiers := int64(0)
	for _, g := range groups {
		tiers = max(tiers, int64(g.tier)+1)
	}
	weight := int64(len(people) + 1)
	problem := assign.Problem{Capacity: make([]int, len(groups)), Edges: make([][]assign.Edge, len(people))}
	for i, g := range groups {
		problem.Capacity[i] = len(g.seats)
	}
	provinces := make([]string, len(groups))
	for gi, g := range groups {
		provinces[gi] = districtOf[g.commune.DistrictCode].ProvinceCode
	}
	eligible := make([][]store.PostKind, len(people))
	for i, p := range people {
		eligible[i] = in.Rule.Kinds(p, dateUTC(in.Day))
		home := communes[p.HomeCommune]
		homeProvince := districtOf[home.DistrictCode].ProvinceCode
		edges := make([]assign.Edge, 0, len(groups))
		for gi, g := range groups {
			if !slices.Contains(eligible[i], g.kind) {
				continue
			}
			c := assign.Cost{Major: -(tiers - int64(g.tier)) * weight}
			if in.Distance != nil {
				c.Minor = in.Distance(home, g.commune)
			} else {
				// SameUnits, without its lookups: it runs for every
				// person and seat.
				switch {
				case home.Code == g.commune.Code:
				case home.DistrictCode == g.commune.DistrictCode:
					c.Minor = 1
				case homeProvince == provinces[gi]:
					c.Minor = 2
				default:
					c.Minor = 3
				}
			}
			if home.DistrictCode != g.commune.DistrictCode {
				c.Major++
			}
			edges = append(edges, assign.Edge{Group: gi, Cost: c})
		}
		problem.Edges[i] = edges
	}
	sol := assign.Solve(problem)

	// Seats are given in their order (vacant before semi-professional,
	// then by slot) to the group's people in the register's order.
	next := make([]int, len(groups))
	for i, gi := range sol.Group {
		p, home := people[i], communes[people[i].HomeCommune]
		if gi < 0 {
			out.Unplaced = append(out.Unplaced, Unplaced{Person: p, Home: home, Eligible: eligible[i]})
			continue
		}
		g := groups[gi]
		out.Rows = append(out.Rows, Row{Person: p, Home: home, Seat: g.seats[next[gi]], Reason: g.need, Near: nearness(home, g.commune, districtOf)})
		next[gi]++
	}
	completes(&out, needs)
	slices.SortStableFunc(out.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Seat.Commune.DistrictCode, b.Seat.Commune.DistrictCode),
			cmp.Compare(a.Seat.Commune.Code, b.Seat.Commune.Code),
			cmp.Compare(slices.Index(store.PostKinds, a.Seat.Kind), slices.Index(store.PostKinds, b.Seat.Kind)),
			cmp.Compare(a.Seat.Slot, b.Seat.Slot))
	})
	return out
}

// demand finds every need in scope and groups the seats that answer
// them, each group with its most urgent need and that need's tier.
func demand(in Input) ([]Need, []*group) {
	day := in.Day
	posts := make(map[string]map[store.PostKind][]store.Post)
	for _, p := range in.Posts {
		if posts[p.CommuneCode] == nil {
			posts[p.CommuneCode] = make(map[store.PostKind][]store.Post)
		}
		posts[p.CommuneCode][p.Kind] = append(posts[p.CommuneCode][p.Kind], p)
	}
	province := make(map[string]string, len(in.Districts))
	for _, d := range in.Districts {
		province[d.Code] = d.ProvinceCode
	}
	var needs []Need
	byKey := make(map[string]*group)
	var groups []*group
	for _, m := range in.Milestones {
		if m.Kind != store.KindPosts || (m.Target != "" && m.Target != store.Regular) {
			continue
		}
		for _, c := range in.Communes {
			if (in.District != "" && c.DistrictCode != in.District) || (in.Province != "" && province[c.DistrictCode] != in.Province) ||
				!m.Communes.Match(c, in.Groups) {
				continue
			}
			var seats []Seat
			for _, kind := range m.Posts {
				ps := posts[c.Code][kind]
				if len(ps) == 0 {
					seats = append(seats, Seat{Commune: c, Kind: kind, Slot: 1})
					continue
				}
				for _, p := range ps {
					if p.Status != store.Regular {
						seats = append(seats, Seat{Commune: c, Kind: kind, Slot: p.Slot, Status: p.Status, Holder: p.Holder})
					}
				}
			}
			if len(seats) == 0 {
				continue
			}
			n := Need{Milestone: m, Commune: c, Gap: len(seats)}
			if late := daysBetween(m.Deadline, day); late > 0 {
				n.Overdue = late
			}
			if at, ok := in.Escalated[m.ID][c.Code]; ok && !at.After(day) {
				n.Escalated = max(daysBetween(at, day), 0)
			} else if e := m.Remind.EscalateAfter; e > 0 && n.Overdue >= e {
				n.Escalated = n.Overdue - e
			}
			needs = append(needs, n)
			for _, s := range seats {
				key := c.Code + "/" + string(s.Kind)
				g := byKey[key]
				if g == nil {
					g = &group{commune: c, kind: s.Kind, need: n}
					byKey[key] = g
					groups = append(groups, g)
				} else if moreUrgent(n, g.need) {
					g.need = n
				}
				if !slices.ContainsFunc(g.seats, func(x Seat) bool { return x.Slot == s.Slot }) {
					g.seats = append(g.seats, s)
				}
			}
		}
	}
	slices.SortStableFunc(needs, urgency)
	// Tiers: the distinct urgencies of the groups, most urgent first.
	keys := make([]Need, 0, len(groups))
	for _, g := range groups {
		keys = append(keys, g.need)
		slices.SortStableFunc(g.seats, func(a, b Seat) int {
			return cmp.Or(cmp.Compare(seatOrder(a.Status), seatOrder(b.Status)), cmp.Compare(a.Slot, b.Slot))
		})
	}
	slices.SortFunc(keys, urgency)
	keys = slices.CompactFunc(keys, func(a, b Need) bool { return urgency(a, b) == 0 })
	for _, g := range groups {
		g.tier, _ = slices.BinarySearchFunc(keys, g.need, urgency)
	}
	return needs, groups
}

// urgency orders needs: the nearest deadline first, then the commune
// escalated longest, then the fewest posts missing (a posting that
// completes a commune counts for more).
func urgency(a, b Need) int {
	return cmp.Or(a.Milestone.Deadline.Compare(b.Milestone.Deadline), cmp.Compare(b.Escalated, a.Escalated), cmp.Compare(a.Gap, b.Gap))
}

func moreUrgent(a, b Need) bool { return urgency(a, b) < 0 }

// seatOrder fills a vacancy before replacing a semi-professional, who
// keeps working meanwhile.
func seatOrder(s store.Status) int {
	switch s {
	case store.Vacant:
		return 0
	case "":
		return 1
	}
	return 2
}

// completes lists on each row the needs the proposal as a whole meets in
// the row's commune that the row's post is part of.
func completes(p *Proposal, needs []Need) {
	type key struct {
		commune string
		kind    store.PostKind
	}
	filled := make(map[key]int)
	for _, r := range p.Rows {
		filled[key{r.Seat.Commune.Code, r.Seat.Kind}]++
	}
	met := make(map[string][]Need) // by commune
	for _, n := range needs {
		got := 0
		for _, k := range n.Milestone.Posts {
			got += filled[key{n.Commune.Code, k}]
		}
		if got >= n.Gap {
			met[n.Commune.Code] = append(met[n.Commune.Code], n)
		}
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		for _, n := range met[r.Seat.Commune.Code] {
			if slices.Contains(n.Milestone.Posts, r.Seat.Kind) {
				r.Completes = append(r.Completes, n)
			}
		}
	}
}

// SameUnits measures distance by the administrative map alone: 0 in the
// same commune, 1 in the same district, 2 in the same province, 3
// elsewhere. It is the measure used when no coordinates of communes are
// given.
func SameUnits(districts []store.District) Distance {
	province := make(map[string]string, len(districts))
	for _, d := range districts {
		province[d.Code] = d.ProvinceCode
	}
	return func(a, b store.Commune) int64 {
		switch {
		case a.Code == b.Code:
			return 0
		case a.DistrictCode == b.DistrictCode:
			return 1
		case province[a.DistrictCode] == province[b.DistrictCode]:
			return 2
		}
		return 3
	}
}

func nearness(home, post store.Commune, districts map[string]store.District) Nearness {
	switch {
	case home.Code == post.Code:
		return SameCommune
	case home.DistrictCode == post.DistrictCode:
		return SameDistrict
	case districts[home.DistrictCode].ProvinceCode == districts[post.DistrictCode].ProvinceCode:
		return SameProvince
	}
	return Elsewhere
}

// dateUTC is the calendar day of t as the register keeps days: midnight UTC.
func dateUTC(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts calendar days from a to b (negative when b is
// earlier), each read in its own zone.
func daysBetween(a, b time.Time) int {
	return int(dateUTC(b).Sub(dateUTC(a)).Hours() / 24)
}
