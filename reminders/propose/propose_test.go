package propose

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

var ict = time.FixedZone("ICT", 7*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ict) }

// A constructed roster: two districts of one province and one of
// another, three communes each.
func smallRoster() ([]store.District, []store.Commune) {
	districts := []store.District{{Code: "150", Name: "Huyện Đà Bắc", ProvinceCode: "17"}, {Code: "157", Name: "Huyện Lạc Sơn", ProvinceCode: "17"}, {Code: "160", Name: "Huyện Khác", ProvinceCode: "18"}}
	var communes []store.Commune
	for i, d := range districts {
		for j := range 3 {
			communes = append(communes, store.Commune{Code: fmt.Sprintf("0%d%d00", i+1, j), Name: fmt.Sprintf("Xã %d-%d", i, j), Type: store.Xa, DistrictCode: d.Code})
		}
	}
	return districts, communes
}

func milestones() []store.Milestone {
	return []store.Milestone{
		{ID: "chief-q1-2020", Kind: store.KindPosts, Posts: []store.PostKind{store.Chief}, Target: store.Regular,
			Start: day(2020, 1, 1), Deadline: day(2020, 3, 31), Remind: store.Reminders{EscalateAfter: 14}},
		{ID: "deputies-officers-2024", Kind: store.KindPosts, Posts: []store.PostKind{store.Deputy, store.Officer}, Target: store.Regular,
			Start: day(2020, 4, 1), Deadline: day(2024, 12, 31)},
	}
}

// randomInput draws posts, escalations and a few people with random
// ranks, homes and listed posts.
func randomInput(r *rand.Rand) Input {
	districts, communes := smallRoster()
	in := Input{Day: day(2020, 4, 20), Districts: districts, Communes: communes, Milestones: milestones(),
		Rule:      store.SeedPlan(ict).Eligibility,
		Escalated: map[string]map[string]time.Time{"chief-q1-2020": {}}}
	statuses := []store.Status{store.Regular, store.Semi, store.Vacant}
	for _, c := range communes {
		in.Posts = append(in.Posts, store.Post{CommuneCode: c.Code, Kind: store.Chief, Slot: 1, Status: statuses[r.IntN(3)]})
		for slot := 1; slot <= r.IntN(3); slot++ {
			in.Posts = append(in.Posts, store.Post{CommuneCode: c.Code, Kind: store.Officer, Slot: slot, Status: statuses[r.IntN(3)]})
		}
		if r.IntN(3) == 0 {
			in.Escalated["chief-q1-2020"][c.Code] = day(2020, 4, 1+r.IntN(18))
		}
	}
	ranks := []store.Rank{"thieu_uy", "trung_uy", "dai_uy", "thieu_ta"}
	for i := range 1 + r.IntN(4) {
		since := day(2005+r.IntN(15), 9, 1)
		p := store.Candidate{ID: fmt.Sprint(i), Name: fmt.Sprint("Người ", i), Rank: ranks[r.IntN(len(ranks))], ServiceSince: &since,
			HomeCommune: communes[r.IntN(len(communes))].Code, AvailableFrom: time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC), Status: store.CandidateAvailable}
		if r.IntN(4) == 0 {
			p.Posts = []store.PostKind{store.Officer}
		}
		in.People = append(in.People, p)
	}
	return in
}

// score is what a proposal is judged by, from first principles: how many
// seats of each urgency are filled, the most urgent first (more is
// better), then how many people stay in their district (more is better),
// then the total distance (less is better).
type score struct {
	filled   []int
	inHome   int
	distance int64
}

func (a score) better(b score) bool {
	if c := slices.Compare(a.filled, b.filled); c != 0 {
		return c > 0
	}
	if a.inHome != b.inHome {
		return a.inHome > b.inHome
	}
	return a.distance < b.distance
}

// bruteForce tries every way of giving each available person a seat they
// may hold, or none, and returns the best score.
func bruteForce(in Input) score {
	_, groups := demand(in)
	var seats []*group
	var seatOf []int
	for _, g := range groups {
		for range g.seats {
			seats = append(seats, g)
			seatOf = append(seatOf, len(seatOf))
		}
	}
	// The urgency classes, most urgent first.
	var classes []Need
	for _, g := range groups {
		classes = append(classes, g.need)
	}
	slices.SortFunc(classes, urgency)
	classes = slices.CompactFunc(classes, func(a, b Need) bool { return urgency(a, b) == 0 })
	communes := make(map[string]store.Commune)
	for _, c := range in.Communes {
		communes[c.Code] = c
	}
	dist := SameUnits(in.Districts)
	used := make([]bool, len(seats))
	best, found := score{}, false
	cur := score{filled: make([]int, len(classes))}
	var walk func(i int)
	walk = func(i int) {
		if i == len(in.People) {
			if !found || cur.better(best) {
				best, found = score{filled: slices.Clone(cur.filled), inHome: cur.inHome, distance: cur.distance}, true
			}
			return
		}
		walk(i + 1)
		p := in.People[i]
		home := communes[p.HomeCommune]
		for s, g := range seats {
			if used[s] || !in.Rule.Allows(p, g.kind, dateUTC(in.Day)) {
				continue
			}
			class, _ := slices.BinarySearchFunc(classes, g.need, urgency)
			used[s] = true
			cur.filled[class]++
			d := dist(home, g.commune)
			cur.distance += d
			if home.DistrictCode == g.commune.DistrictCode {
				cur.inHome++
			}
			walk(i + 1)
			if home.DistrictCode == g.commune.DistrictCode {
				cur.inHome--
			}
			cur.distance -= d
			cur.filled[class]--
			used[s] = false
		}
	}
	walk(0)
	return best
}

// scoreOf scores a proposal the same way.
func scoreOf(in Input, p Proposal) score {
	_, groups := demand(in)
	var classes []Need
	for _, g := range groups {
		classes = append(classes, g.need)
	}
	slices.SortFunc(classes, urgency)
	classes = slices.CompactFunc(classes, func(a, b Need) bool { return urgency(a, b) == 0 })
	dist := SameUnits(in.Districts)
	s := score{filled: make([]int, len(classes))}
	for _, r := range p.Rows {
		class, ok := slices.BinarySearchFunc(classes, r.Reason, urgency)
		if !ok {
			panic("a row's reason is no class")
		}
		s.filled[class]++
		s.distance += dist(r.Home, r.Seat.Commune)
		if r.Home.DistrictCode == r.Seat.Commune.DistrictCode {
			s.inHome++
		}
	}
	return s
}

func TestProposalOptimalOnSmallRosters(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 4))
	for n := range 300 {
		in := randomInput(r)
		p := Make(in)
		got, want := scoreOf(in, p), bruteForce(in)
		if want.better(got) || got.better(want) {
			t.Fatalf("case %d: proposal scores %+v, brute force %+v", n, got, want)
		}
		checkRows(t, in, p)
	}
}

// checkRows checks what must hold of any proposal: each person at most
// once, each seat at most once, every posting allowed by the rule and the
// register, and every seat a post not yet regular.
func checkRows(t *testing.T, in Input, p Proposal) {
	t.Helper()
	people := make(map[string]bool)
	seats := make(map[store.PostRef]bool)
	regular := make(map[store.PostRef]bool)
	for _, post := range in.Posts {
		if post.Status == store.Regular {
			regular[post.Ref()] = true
		}
	}
	for _, r := range p.Rows {
		ref := store.PostRef{CommuneCode: r.Seat.Commune.Code, Kind: r.Seat.Kind, Slot: r.Seat.Slot}
		switch {
		case people[r.Person.ID]:
			t.Fatalf("%s proposed twice", r.Person.Name)
		case seats[ref]:
			t.Fatalf("post %s proposed twice", ref)
		case regular[ref]:
			t.Fatalf("post %s is regular already", ref)
		case !in.Rule.Allows(r.Person, r.Seat.Kind, dateUTC(in.Day)):
			t.Fatalf("%s (%s) proposed for %s, which they may not hold", r.Person.Name, r.Person.Rank, r.Seat.Kind)
		}
		people[r.Person.ID], seats[ref] = true, true
	}
	if len(p.Rows)+len(p.Unplaced)+p.Waiting != len(in.People) {
		t.Fatalf("%d rows, %d unplaced, %d waiting, of %d people", len(p.Rows), len(p.Unplaced), p.Waiting, len(in.People))
	}
}

func TestProposalPrefersUrgentThenHome(t *testing.T) {
	districts, communes := smallRoster()
	since := day(2010, 9, 1)
	person := func(id, home string, rank store.Rank) store.Candidate {
		return store.Candidate{ID: id, Name: "Người " + id, Rank: rank, ServiceSince: &since, HomeCommune: home,
			AvailableFrom: time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC), Status: store.CandidateAvailable}
	}
	// Communes 01000 (district 150) and 02000 (district 157) lack a chief;
	// 02000 was escalated first. Commune 01100 lacks an officer.
	in := Input{Day: day(2020, 4, 20), Districts: districts, Communes: communes, Milestones: milestones(),
		Rule:      store.SeedPlan(ict).Eligibility,
		Escalated: map[string]map[string]time.Time{"chief-q1-2020": {"02000": day(2020, 4, 14), "01000": day(2020, 4, 18)}},
		Posts: []store.Post{
			{CommuneCode: "01000", Kind: store.Chief, Slot: 1, Status: store.Semi, Holder: "Xa Văn Bình"},
			{CommuneCode: "02000", Kind: store.Chief, Slot: 1, Status: store.Vacant},
			{CommuneCode: "01100", Kind: store.Officer, Slot: 1, Status: store.Vacant},
		},
		// One captain from district 150, one new graduate from there too.
		People: []store.Candidate{person("A", "01100", "dai_uy"), person("B", "01000", "thieu_uy")},
	}
	for _, c := range communes {
		if c.Code != "01000" && c.Code != "02000" {
			in.Posts = append(in.Posts, store.Post{CommuneCode: c.Code, Kind: store.Chief, Slot: 1, Status: store.Regular})
		}
		if c.Code != "01100" {
			in.Posts = append(in.Posts, store.Post{CommuneCode: c.Code, Kind: store.Officer, Slot: 1, Status: store.Regular})
		}
		in.Posts = append(in.Posts, store.Post{CommuneCode: c.Code, Kind: store.Deputy, Slot: 1, Status: store.Regular})
	}
	p := Make(in)
	got := make(map[string]string)
	for _, r := range p.Rows {
		got[r.Person.ID] = r.Seat.Commune.Code + "/" + string(r.Seat.Kind)
	}
	// The captain goes to the commune escalated longest, out of his
	// district; the graduate cannot be a chief and takes the officer post.
	want := map[string]string{"A": "02000/chief", "B": "01100/officer"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("postings %v, want %v", got, want)
	}
	for _, r := range p.Rows {
		if r.Person.ID == "A" && (len(r.Completes) != 1 || r.Completes[0].Milestone.ID != "chief-q1-2020" || r.Reason.Escalated != 6) {
			t.Errorf("row of A: reason %+v, completes %+v", r.Reason, r.Completes)
		}
	}
}

func randPCG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }
