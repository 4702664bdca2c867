package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// askWorld is a roster with random posts and reports, and what the test
// knows of it to answer questions without SQL.
type askWorld struct {
	provinces map[string]Province
	districts map[string]District
	communes  []Commune
	posts     map[string][]Post // by commune
	reports   []Report
}

// newAskWorld imports Hòa Bình and a small second province, posts drawn
// at random (some communes lack a kind altogether, some posts have no
// day) and reports at known times.
func newAskWorld(t *testing.T, db *DB) *askWorld {
	t.Helper()
	ctx := context.Background()
	importHoaBinh(t, db)
	other := []CommuneRow{
		{Line: 2, ProvinceCode: "99", ProvinceName: "Tỉnh Thử", DistrictCode: "991", DistrictName: "Huyện Một", Code: "99101", Name: "Tân Lập", Type: Xa},
		{Line: 3, ProvinceCode: "99", ProvinceName: "Tỉnh Thử", DistrictCode: "991", DistrictName: "Huyện Một", Code: "99102", Name: "Một", Type: ThiTran},
		{Line: 4, ProvinceCode: "99", ProvinceName: "Tỉnh Thử", DistrictCode: "991", DistrictName: "Huyện Một", Code: "99103", Name: "Phường Một", Type: Phuong},
		{Line: 5, ProvinceCode: "99", ProvinceName: "Tỉnh Thử", DistrictCode: "992", DistrictName: "Huyện Hai", Code: "99201", Name: "Hai", Type: Xa},
		{Line: 6, ProvinceCode: "99", ProvinceName: "Tỉnh Thử", DistrictCode: "992", DistrictName: "Huyện Hai", Code: "99202", Name: "Ba", Type: Xa},
	}
	if _, err := db.ImportCommunes(ctx, other, Province{}, "other.csv", at(0)); err != nil {
		t.Fatal(err)
	}
	w := &askWorld{provinces: make(map[string]Province), districts: make(map[string]District), posts: make(map[string][]Post)}
	ps, err := db.Provinces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		w.provinces[p.Code] = p
	}
	ds, err := db.Districts(ctx, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		w.districts[d.Code] = d
	}
	if w.communes, err = db.Communes(ctx, Scope{}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(10, 2020))
	statuses := []Status{Regular, Semi, Vacant}
	var rows []PostRow
	for _, c := range w.communes {
		if c.Code == "99103" {
			continue // a ward with no post at all
		}
		for _, k := range PostKinds {
			n := rng.IntN(4) // 0: the commune has no post of the kind
			if k == Chief {
				n = min(n, 1)
			}
			for slot := 1; slot <= n; slot++ {
				p := Post{CommuneCode: c.Code, Kind: k, Slot: slot, Status: statuses[rng.IntN(3)]}
				if p.Status != Vacant {
					p.Holder = fmt.Sprintf("Người %s-%s-%d", c.Code, k, slot)
					if rng.IntN(4) > 0 {
						d := time.Date(2018+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
						p.Since = &d
					}
				}
				rows = append(rows, PostRow{Line: len(rows) + 2, Post: p})
			}
		}
	}
	if _, err := db.ImportPosts(ctx, rows, "random.csv", at(0)); err != nil {
		t.Fatal(err)
	}
	// Changes by people at known times, after the import.
	base := time.Date(2020, 4, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 60; i++ {
		c := w.communes[rng.IntN(len(w.communes))]
		ch := Change{Ref: PostRef{CommuneCode: c.Code, Kind: PostKinds[rng.IntN(3)], Slot: 1}, Status: statuses[rng.IntN(3)],
			Actor: "user:1", At: base.Add(time.Duration(i) * 37 * time.Hour)}
		if ch.Status != Vacant {
			ch.Holder = fmt.Sprintf("Mới %d", i)
		}
		if _, err := db.ApplyChange(ctx, ch); err != nil && !isNoChange(err) {
			t.Fatal(err)
		}
	}
	all, err := db.Posts(ctx, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		w.posts[p.CommuneCode] = append(w.posts[p.CommuneCode], p)
	}
	if w.reports, err = db.ReportsBetween(ctx, Scope{}, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return w
}

func isNoChange(err error) bool { return errors.Is(err, ErrNoChange) }

// in reports whether commune c lies in scope s.
func (w *askWorld) in(s Scope, c Commune) bool {
	switch s.Role {
	case RoleCommune:
		return c.Code == s.Code
	case RoleDistrict:
		return c.DistrictCode == s.Code
	case RoleProvince:
		return w.districts[c.DistrictCode].ProvinceCode == s.Code
	}
	return true
}

// oracleRow is a post (or an unreported kind) the way the question's
// definition reads it.
type oracleRow struct {
	commune Commune
	post    Post
	hit     bool
}

// answer computes a question's result for one place from the posts in
// memory, following Question's documentation rather than the queries.
func (w *askWorld) answer(q Question, s Scope) (Tally, map[string]Tally, []oracleRow) {
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = PostKinds
	}
	types := q.Select.Types
	if len(types) == 0 {
		types = []CommuneType{Xa, ThiTran}
	}
	statusOK := func(st Status) bool { return len(q.Statuses) == 0 || slices.Contains(q.Statuses, st) }
	inWindow := func(p Post) bool {
		if q.From.IsZero() && q.To.IsZero() {
			return true
		}
		if p.Since == nil {
			return false
		}
		d := p.Since.Format(dateLayout)
		return (q.From.IsZero() || d >= q.From.Format(dateLayout)) && (q.To.IsZero() || d < q.To.Format(dateLayout))
	}
	match := q.Match
	if match == "" {
		match = MatchAny
	}
	var total Tally
	groups := make(map[string]Tally)
	var rows []oracleRow
	for _, c := range w.communes {
		if !w.in(s, c) || s.Role != RoleCommune && !slices.Contains(types, c.Type) {
			continue
		}
		var mine []oracleRow
		for _, k := range kinds {
			found := false
			for _, p := range w.posts[c.Code] {
				if p.Kind == k {
					found = true
					mine = append(mine, oracleRow{commune: c, post: p})
				}
			}
			if !found && c.Type != Phuong {
				mine = append(mine, oracleRow{commune: c, post: Post{CommuneCode: c.Code, Kind: k, Slot: 1, Status: Vacant}})
			}
		}
		if len(mine) == 0 {
			if len(q.Kinds) == 0 && len(q.Statuses) == 0 && match != MatchNone && q.AtLeast < 2 && q.From.IsZero() && q.To.IsZero() &&
				q.Unit == UnitCommunes && s.Role != RoleCommune {
				// Asked nothing of posts, a unit counts without any.
				t := Tally{Communes: 1, CommunesHit: 1}
				total.Communes++
				total.CommunesHit++
				key := ""
				switch q.Group {
				case LevelProvince:
					key = w.districts[c.DistrictCode].ProvinceCode
				case LevelDistrict:
					key = c.DistrictCode
				case LevelCommune:
					key = c.Code
				}
				g := groups[key]
				g.Communes += t.Communes
				g.CommunesHit += t.CommunesHit
				groups[key] = g
			}
			continue
		}
		hits := 0
		for i := range mine {
			p := mine[i].post
			has := statusOK(p.Status) && inWindow(p)
			if match == MatchNone {
				has = !has
			}
			if q.Unit == UnitPeople && p.Status == Vacant {
				has = false
			}
			mine[i].hit = has
			if has {
				hits++
			}
		}
		ok := hits > 0 && hits >= q.AtLeast
		if match != MatchAny {
			ok = ok && hits == len(mine)
		}
		t := Tally{Communes: 1, Posts: len(mine), PostsHit: hits}
		if ok {
			t.CommunesHit = 1
		}
		add := func(a *Tally, b Tally) {
			a.Communes += b.Communes
			a.CommunesHit += b.CommunesHit
			a.Posts += b.Posts
			a.PostsHit += b.PostsHit
		}
		add(&total, t)
		key := ""
		switch q.Group {
		case LevelProvince:
			key = w.districts[c.DistrictCode].ProvinceCode
		case LevelDistrict:
			key = c.DistrictCode
		case LevelCommune:
			key = c.Code
		}
		g := groups[key]
		add(&g, t)
		groups[key] = g
		for _, r := range mine {
			if r.hit && (q.Unit != UnitCommunes || ok) {
				rows = append(rows, r)
			}
		}
	}
	return total, groups, rows
}

// TestAskMatchesItsDefinition asks many questions, every combination of
// measure, unit, kinds, statuses, match, place, breakdown and window the
// bot can build, and compares the store's answers with answers computed
// in memory from Question's documentation, on both backends.
func TestAskMatchesItsDefinition(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newAskWorld(t, db)
		places := []Scope{{}, {Role: RoleNational}, {Role: RoleProvince, Code: "17"}, {Role: RoleProvince, Code: "99"},
			{Role: RoleDistrict, Code: "157"}, {Role: RoleDistrict, Code: "991"}, {Role: RoleCommune, Code: "05287"},
			{Role: RoleCommune, Code: "99103"}, {Role: RoleCommune, Code: "04789"}}
		kindSets := [][]PostKind{nil, {Chief}, {Deputy}, {Officer}, {Chief, Deputy}}
		statusSets := [][]Status{nil, {Regular}, {Semi, Vacant}, {Vacant}, {Semi}}
		windows := [][2]time.Time{{}, {time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), {}}, {{}, time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC)}}
		asked, built := 0, 0
		for _, measure := range []Measure{MeasureCount, MeasureList, MeasureShare} {
			for _, unit := range []Unit{UnitCommunes, UnitPosts, UnitPeople} {
				for _, match := range []Match{MatchAny, MatchAll, MatchNone} {
					for ki, kinds := range kindSets {
						for si, sts := range statusSets {
							for wi, win := range windows {
								if (ki+si+wi)%2 == 1 && match != MatchAny || wi > 0 && measure != MeasureCount {
									continue // a sample is enough
								}
								built++
								if raceDetector && built%3 != 0 {
									// Three minutes under the race detector, for a
									// test with no goroutines of its own: one
									// question in three there, all without it.
									continue
								}
								group := []Level{"", LevelDistrict, LevelProvince, LevelCommune}[(ki+si)%4]
								q := Question{Measure: measure, Unit: unit, Kinds: kinds, Statuses: sts, Match: match,
									Places: places, From: win[0], To: win[1], Group: group, Limit: 10000}
								if measure == MeasureList {
									q.Group = ""
								}
								asked++
								w.check(ctx, t, db, q)
							}
						}
					}
				}
			}
		}
		// At least two matching posts, wards asked for.
		for _, m := range []Measure{MeasureCount, MeasureList} {
			w.check(ctx, t, db, Question{Measure: m, Unit: UnitCommunes, Kinds: []PostKind{Deputy}, Statuses: []Status{Regular},
				AtLeast: 2, Places: places, Limit: 10000})
		}
		w.check(ctx, t, db, Question{Measure: MeasureCount, Unit: UnitPosts, Places: places, Select: Selector{Types: []CommuneType{Phuong}}})
		w.check(ctx, t, db, Question{Measure: MeasureCount, Unit: UnitCommunes, Places: places, Group: LevelDistrict,
			Select: Selector{Types: []CommuneType{Phuong}}})
		w.check(ctx, t, db, Question{Measure: MeasureCount, Unit: UnitCommunes, Statuses: []Status{Regular}, Places: places,
			Select: Selector{Types: []CommuneType{Xa, ThiTran, Phuong}}, Group: LevelDistrict})
		t.Logf("%d questions, each over %d places", asked, len(places))
	})
}

// check asks q and compares each place's result with the definition's.
func (w *askWorld) check(ctx context.Context, t *testing.T, db *DB, q Question) {
	t.Helper()
	res, err := db.Ask(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(res) != len(q.Places) {
		t.Fatalf("%s: %d results for %d places", q, len(res), len(q.Places))
	}
	for i, s := range q.Places {
		total, groups, rows := w.answer(q, s)
		got := res[i]
		if q.Measure == MeasureList {
			wantKeys := make([]string, 0, len(rows))
			for _, r := range rows {
				wantKeys = append(wantKeys, fmt.Sprintf("%s/%s/%d", r.commune.Code, r.post.Kind, r.post.Slot))
			}
			var gotKeys []string
			for _, r := range got.Rows {
				// A commune's rows come whether it satisfies the question
				// or not, for its yes/no verdict.
				if r.Hit && (q.Unit != UnitCommunes || s.Role != RoleCommune || got.Total.CommunesHit == 1) {
					gotKeys = append(gotKeys, fmt.Sprintf("%s/%s/%d", r.CommuneCode, r.Kind, r.Slot))
				}
			}
			sort.Strings(wantKeys)
			sort.Strings(gotKeys)
			if !slices.Equal(gotKeys, wantKeys) {
				t.Errorf("%s at %s:%s: rows %v, want %v", q, s.Role, s.Code, gotKeys, wantKeys)
			}
			if got.Total.PostsHit != len(rows) && s.Role != RoleCommune || got.Total.CommunesHit != total.CommunesHit && q.Unit == UnitCommunes {
				t.Errorf("%s at %s:%s: list total %+v, want %+v", q, s.Role, s.Code, got.Total, total)
			}
			continue
		}
		got.Total.Code, got.Total.Name = "", ""
		if got.Total != total {
			t.Errorf("%s at %s:%s: total %+v, want %+v", q, s.Role, s.Code, got.Total, total)
		}
		if q.Group == "" || s.Role == RoleCommune {
			continue
		}
		if len(got.Groups) != len(groups) {
			t.Errorf("%s at %s:%s: %d groups, want %d", q, s.Role, s.Code, len(got.Groups), len(groups))
			continue
		}
		for _, g := range got.Groups {
			want := groups[g.Code]
			g.Code, g.Name = "", ""
			if g != want {
				t.Errorf("%s at %s:%s: group %+v, want %+v", q, s.Role, s.Code, g, want)
			}
		}
	}
}

// TestAskBySince lists posts by the day their holders took them.
func TestAskBySince(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		newAskWorld(t, db)
		for _, order := range []Order{OrderDesc, OrderAsc} {
			q := Question{Measure: MeasureHolder, Unit: UnitPosts, Statuses: []Status{Regular}, BySince: order, Limit: 20,
				Places: []Scope{{Role: RoleProvince, Code: "17"}}}
			res, err := db.Ask(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			rows := res[0].Rows
			if len(rows) != 20 || rows[0].Since == nil {
				t.Fatalf("%s: %d rows, first %+v", q, len(rows), rows[0])
			}
			for i := 1; i < len(rows); i++ {
				a, b := rows[i-1].Since, rows[i].Since
				if b == nil {
					continue
				}
				if a == nil || order == OrderDesc && a.Before(*b) || order == OrderAsc && a.After(*b) {
					t.Errorf("%s: %v before %v", q, a, b)
				}
			}
		}
	})
}

// TestAskChanges counts and lists reports against the reports read back.
func TestAskChanges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newAskWorld(t, db)
		from, to := time.Date(2020, 4, 10, 0, 0, 0, 0, time.UTC), time.Date(2020, 5, 20, 0, 0, 0, 0, time.UTC)
		for _, s := range []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "157"}} {
			for _, sts := range [][]Status{nil, {Regular}, {Semi, Regular}} {
				for _, unit := range []Unit{UnitPosts, UnitCommunes, UnitPeople} {
					var want []Report
					communes := make(map[string]bool)
					for _, r := range w.reports {
						c := w.commune(r.CommuneCode)
						if !w.in(s, c) || !c.InPlan() || r.At.Before(from) || !r.At.Before(to) {
							continue
						}
						if len(sts) > 0 && (!slices.Contains(sts, r.NewStatus) || slices.Contains(sts, r.OldStatus)) {
							continue
						}
						if unit == UnitPeople && r.NewHolder == "" {
							continue
						}
						want = append(want, r)
						communes[r.CommuneCode] = true
					}
					if len(want) == 0 && s.Role == "" && len(sts) == 0 {
						t.Fatal("no report in the window: the test would prove nothing")
					}
					q := Question{Measure: MeasureCount, Unit: unit, Statuses: sts, Changes: true, From: from, To: to, Places: []Scope{s}}
					res, err := db.Ask(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					if got := res[0].Total; got.Posts != len(want) || got.CommunesHit != len(communes) {
						t.Errorf("%s: %+v, want %d changes in %d communes", q, got, len(want), len(communes))
					}
					q.Measure, q.Limit = MeasureList, 3
					res, err = db.Ask(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					// Newest first.
					sort.SliceStable(want, func(i, j int) bool { return want[i].At.After(want[j].At) })
					var gotIDs, wantIDs []int64
					for _, r := range res[0].Rows {
						gotIDs = append(gotIDs, r.Change.ID)
					}
					for _, r := range want[:min(3, len(want))] {
						wantIDs = append(wantIDs, r.ID)
					}
					if !slices.Equal(gotIDs, wantIDs) || res[0].More != (len(want) > 3) || res[0].Total.Posts != len(want) {
						t.Errorf("%s: rows %v more %v total %d, want %v, %v, %d", q, gotIDs, res[0].More, res[0].Total.Posts, wantIDs, len(want) > 3, len(want))
					}
				}
			}
		}
	})
}

// TestAskUnchanged lists and counts the communes without a change.
func TestAskUnchanged(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := newAskWorld(t, db)
		from, to := time.Date(2020, 4, 10, 0, 0, 0, 0, time.UTC), time.Date(2020, 5, 20, 0, 0, 0, 0, time.UTC)
		for _, s := range []Scope{{Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "157"}} {
			changed := make(map[string]bool)
			for _, r := range w.reports {
				if !r.At.Before(from) && r.At.Before(to) && r.Actor == "user:1" {
					changed[r.CommuneCode] = true
				}
			}
			var want []string
			for _, c := range w.communes {
				if w.in(s, c) && c.InPlan() && !changed[c.Code] {
					want = append(want, c.Code)
				}
			}
			q := Question{Measure: MeasureList, Unit: UnitCommunes, Match: MatchNone, Changes: true, From: from, To: to, Places: []Scope{s}}
			res, err := db.Ask(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res[0].Rows {
				got = append(got, r.CommuneCode)
			}
			sort.Strings(got)
			if !slices.Equal(got, want) || res[0].Total.CommunesHit != len(want) {
				t.Errorf("%s: %v (%d), want %v", q, got, res[0].Total.CommunesHit, want)
			}
			q.Measure, q.Group = MeasureCount, LevelDistrict
			res, err = db.Ask(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if res[0].Total.CommunesHit != len(want) || len(res[0].Groups) == 0 {
				t.Errorf("%s: %+v, want %d communes", q, res[0], len(want))
			}
		}
	})
}

func (w *askWorld) commune(code string) Commune {
	for _, c := range w.communes {
		if c.Code == code {
			return c
		}
	}
	return Commune{}
}

// TestAskRanks orders a breakdown by its figure, most or fewest first,
// ties by code.
func TestAskRanks(t *testing.T) {
	db := openSQLite(t)
	ctx := context.Background()
	w := newAskWorld(t, db)
	for _, order := range []Order{OrderDesc, OrderAsc} {
		for _, measure := range []Measure{MeasureRank, MeasureShare} {
			q := Question{Measure: measure, Unit: UnitCommunes, Kinds: []PostKind{Chief}, Statuses: []Status{Regular},
				Places: []Scope{{Role: RoleProvince, Code: "17"}}, Group: LevelDistrict, Order: order}
			res, err := db.Ask(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			gs := res[0].Groups
			if len(gs) != 10 {
				t.Fatalf("%s: %d districts, want 10", q, len(gs))
			}
			for i := 1; i < len(gs); i++ {
				a, b := gs[i-1].figure(q), gs[i].figure(q)
				if order == OrderDesc && a < b || order == OrderAsc && a > b || a == b && gs[i-1].Code > gs[i].Code {
					t.Errorf("%s: %s (%v) before %s (%v)", q, gs[i-1].Code, a, gs[i].Code, b)
				}
				if gs[i].Name != w.districts[gs[i].Code].Name {
					t.Errorf("group %s named %q", gs[i].Code, gs[i].Name)
				}
			}
		}
	}
}
