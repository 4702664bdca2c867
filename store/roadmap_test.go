package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// roadmapRoster is a district of two communes, each with two deputy posts
// and three officer posts, in the states given.
func roadmapRoster(deputies, officers [2][]Status) (Roster, []Post) {
	d := District{Code: "150", Name: "Huyện Đà Bắc", ProvinceCode: "17"}
	communes := []Commune{
		{Code: "04849", Name: "Tân Pheo", Type: Xa, DistrictCode: "150"},
		{Code: "04855", Name: "Tân Minh", Type: Xa, DistrictCode: "150"},
	}
	var posts []Post
	for i, c := range communes {
		for s, st := range deputies[i] {
			posts = append(posts, Post{CommuneCode: c.Code, Kind: Deputy, Slot: s + 1, Status: st})
		}
		for s, st := range officers[i] {
			posts = append(posts, Post{CommuneCode: c.Code, Kind: Officer, Slot: s + 1, Status: st})
		}
	}
	return Roster{Districts: []District{d}, Communes: communes}, posts
}

func TestGoals(t *testing.T) {
	R, S, V := Regular, Semi, Vacant
	deputies := [2][]Status{{R, S}, {S, V}}    // 1 of 4 regular
	officers := [2][]Status{{R, R, S}, {R, V}} // 3 of 5 regular
	r, posts := roadmapRoster(deputies, officers)
	tests := []struct {
		name            string
		goal            Goal
		kinds           []PostKind
		done, atTarget  int
		posts           int
		met             bool
		value, of, need int
	}{
		{"every post", Goal{}, []PostKind{Officer}, 0, 3, 5, false, 0, 2, 2},
		{"share met", Goal{Share: 60}, []PostKind{Officer}, 0, 3, 5, true, 3, 5, 3},
		{"share missed", Goal{Share: 61}, []PostKind{Officer}, 0, 3, 5, false, 3, 5, 4},
		{"share of deputies", Goal{Share: 25}, []PostKind{Deputy}, 0, 1, 4, true, 1, 4, 1},
		{"count met", Goal{Count: 1}, []PostKind{Officer}, 2, 3, 5, true, 2, 2, 2},
		{"count missed", Goal{Count: 2}, []PostKind{Officer}, 1, 3, 5, false, 1, 2, 2},
		{"count of two kinds", Goal{Count: 1}, []PostKind{Deputy, Officer}, 1, 4, 9, false, 1, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Milestone{ID: "m", Kind: KindPosts, Posts: tt.kinds, Target: Regular, Goal: tt.goal}
			r.Counts = CountPosts(m, posts)
			p := Evaluate(m, r)
			d := p.Districts[0]
			if p.Done != tt.done || p.AtTarget != tt.atTarget || p.Posts != tt.posts || d.Meets(tt.goal) != tt.met || p.Met() != tt.met {
				t.Errorf("done %d, at target %d of %d posts, met %v/%v; want %d, %d of %d, %v",
					p.Done, p.AtTarget, p.Posts, d.Meets(tt.goal), p.Met(), tt.done, tt.atTarget, tt.posts, tt.met)
			}
			if v, of, need := p.Measure(); v != tt.value || of != tt.of || need != tt.need {
				t.Errorf("measure %d of %d, need %d; want %d of %d, need %d", v, of, need, tt.value, tt.of, tt.need)
			}
		})
	}
}

func TestStageAt(t *testing.T) {
	loc := hcm(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	m := Milestone{ID: "deputies", Deadline: day(2024, 12, 31), Goal: Goal{},
		Steps: []Step{{day(2020, 12, 31), Goal{Share: 20}}, {day(2021, 12, 31), Goal{Share: 50}}}}
	tests := []struct {
		at       time.Time
		deadline time.Time
		goal     Goal
	}{
		{day(2020, 6, 1), day(2020, 12, 31), Goal{Share: 20}},
		{day(2020, 12, 31).Add(23 * time.Hour), day(2020, 12, 31), Goal{Share: 20}},
		{day(2021, 1, 1), day(2021, 12, 31), Goal{Share: 50}},
		{day(2022, 1, 1), day(2024, 12, 31), Goal{}},
		{day(2026, 1, 1), day(2024, 12, 31), Goal{}},
	}
	for _, tt := range tests {
		s := m.StageAt(tt.at)
		if !s.Deadline.Equal(tt.deadline) || s.Goal != tt.goal || s.Steps != nil {
			t.Errorf("StageAt(%s) = deadline %s, goal %+v, steps %v", tt.at, s.Deadline, s.Goal, s.Steps)
		}
		if m.IsStep(s) != tt.deadline.Before(m.Deadline) {
			t.Errorf("IsStep(StageAt(%s)) = %v", tt.at, m.IsStep(s))
		}
	}
	if st := m.Stages(); len(st) != 3 || st[0].Goal.Share != 20 || st[2].Deadline != m.Deadline || st[2].Steps != nil {
		t.Errorf("Stages = %+v", st)
	}
}

func TestForecastOf(t *testing.T) {
	loc := hcm(t)
	to := time.Date(2022, 3, 1, 0, 0, 0, 0, loc)
	weeks := func(n int) time.Time { return to.AddDate(0, 0, -7*n) }
	tests := []struct {
		name                string
		value, before, need int
		from                time.Time
		state               ForecastState
		expected            string
		weeks               int
		lateAgainst31122022 bool
	}{
		{"met", 28, 20, 28, weeks(8), ForecastMet, "", 8, false},
		{"a post a week, ten to go", 18, 10, 28, weeks(8), ForecastExpected, "2022-05-10", 8, false},
		{"slow: one post in eight weeks, ten to go", 18, 17, 28, weeks(8), ForecastExpected, "2023-09-12", 8, true},
		{"nothing moved", 18, 18, 28, weeks(8), ForecastStalled, "", 8, false},
		{"fell back", 17, 18, 28, weeks(8), ForecastStalled, "", 8, false},
		{"under two weeks of record", 18, 10, 28, to.AddDate(0, 0, -13), ForecastTooEarly, "", 1, false},
		{"two weeks of record, sixteen to go", 12, 10, 28, weeks(2), ForecastExpected, "2022-06-21", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ForecastOf(tt.value, tt.before, tt.need, tt.from, to)
			got := ""
			if !f.Expected.IsZero() {
				got = f.Expected.Format(time.DateOnly)
			}
			if f.State != tt.state || got != tt.expected || f.Weeks() != tt.weeks {
				t.Errorf("state %s, expected %q, %d weeks; want %s, %q, %d", f.State, got, f.Weeks(), tt.state, tt.expected, tt.weeks)
			}
			if late := f.Late(time.Date(2022, 12, 31, 0, 0, 0, 0, loc)); late != tt.lateAgainst31122022 {
				t.Errorf("Late = %v", late)
			}
		})
	}
}

// TestRoadmapHistory builds a district's deputies' history over three
// years from reports and measures it on the way: the 2020 step met, the
// 2021 step missed with no progress in its last eight weeks, and the goal
// forecast from the pace of early 2022.
func TestRoadmapHistory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		loc := db.Location()
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
		importHoaBinh(t, db)
		plan := Plan{ID: "roadmap-test", TitleVI: "Lộ trình", Milestones: []Milestone{{
			ID: "deputies", TitleVI: "Phó Trưởng Công an xã chính quy", Kind: KindPosts,
			Communes: Selector{Districts: []string{"150"}}, Posts: []PostKind{Deputy}, Target: Regular,
			Start: day(2020, 4, 1), Deadline: day(2022, 12, 31), Goal: Goal{Share: 80},
			Steps: []Step{{day(2020, 12, 31), Goal{Share: 20}}, {day(2021, 12, 31), Goal{Share: 50}}},
		}}}
		if err := db.SavePlan(ctx, plan, "test", day(2020, 4, 1)); err != nil {
			t.Fatal(err)
		}
		communes, err := db.Communes(ctx, Scope{Role: RoleDistrict, Code: "150"})
		if err != nil {
			t.Fatal(err)
		}
		// Two semi-professional deputies in each of the 17 communes: 34 posts.
		var rows []PostRow
		for _, c := range communes {
			for slot := 1; slot <= 2; slot++ {
				rows = append(rows, PostRow{Line: len(rows) + 2, Post: Post{CommuneCode: c.Code, Kind: Deputy, Slot: slot, Status: Semi,
					Holder: fmt.Sprintf("Bán chuyên trách %d", len(rows))}})
			}
		}
		if _, err := db.ImportPosts(ctx, rows, "deputies.csv", day(2020, 4, 1).Add(9*time.Hour)); err != nil {
			t.Fatal(err)
		}
		next := 0
		appoint := func(when time.Time) {
			t.Helper()
			p := rows[next].Post
			next++
			if _, err := db.ApplyChange(ctx, Change{Ref: p.Ref(), Status: Regular, Holder: fmt.Sprintf("Chính quy %d", next),
				Actor: "user:1", At: when.Add(9 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		// 2020: one every four weeks from May, nine by December (26%).
		for k := range 9 {
			appoint(day(2020, 5, 1).AddDate(0, 0, 28*k))
		}
		// 2021: nothing. 2022: one a week from Monday 03/01, ten in all.
		for k := range 10 {
			appoint(day(2022, 1, 3).AddDate(0, 0, 7*k))
		}

		stageAt := func(at time.Time) (Milestone, Progress) {
			t.Helper()
			m, err := db.Milestone(ctx, "deputies")
			if err != nil {
				t.Fatal(err)
			}
			stage := m.StageAt(at)
			pr, err := db.AsOf(at).evaluate(ctx, stage, Scope{})
			if err != nil {
				t.Fatal(err)
			}
			return stage, pr
		}
		t.Run("2020 step met", func(t *testing.T) {
			end := day(2021, 1, 1) // the end of 31/12/2020
			stage, pr := stageAt(end.Add(-time.Hour))
			if stage.Goal.Share != 20 || pr.AtTarget != 9 || pr.Posts != 34 || !pr.Met() || !pr.Districts[0].Meets(stage.Goal) {
				t.Errorf("stage %+v: %d of %d, met %v", stage.Goal, pr.AtTarget, pr.Posts, pr.Met())
			}
		})
		t.Run("2021 step missed and stalled", func(t *testing.T) {
			at := day(2022, 1, 1).Add(-time.Hour)
			stage, pr := stageAt(at)
			if stage.Goal.Share != 50 || pr.AtTarget != 9 || pr.Met() {
				t.Errorf("stage %+v: %d of %d, met %v", stage.Goal, pr.AtTarget, pr.Posts, pr.Met())
			}
			f, err := db.AsOf(at).Forecast(ctx, "deputies", Scope{}, at)
			if err != nil {
				t.Fatal(err)
			}
			if f.Scope.State != ForecastStalled || f.Scope.Weeks() != 8 || f.Districts["150"].State != ForecastStalled {
				t.Errorf("forecast %+v", f)
			}
		})
		t.Run("forecast from the pace of 2022", func(t *testing.T) {
			at := day(2022, 3, 1)
			f, err := db.AsOf(at).Forecast(ctx, "deputies", Scope{}, at)
			if err != nil {
				t.Fatal(err)
			}
			// 18 of 34 regular, 10 on 04/01 (eight weeks before): 8 in 56
			// days; 80% is 28 posts, 10 to go: 70 days.
			s := f.Scope
			if s.State != ForecastExpected || s.Value != 18 || s.Gained != 8 || s.Need != 28 ||
				s.Expected.Format(time.DateOnly) != "2022-05-10" || s.Late(day(2022, 12, 31)) {
				t.Errorf("forecast %+v", s)
			}
			if f.Districts["150"] != s {
				t.Errorf("the one district's forecast %+v differs from the scope's %+v", f.Districts["150"], s)
			}
		})
		t.Run("the store as it is forecasts as every report ordered does", func(t *testing.T) {
			// Forecast reads the store as it is through the posts reported
			// on since the window's start; a view after every report
			// orders them all (AsOf). Both must find the same.
			after := day(2023, 1, 1)
			for _, at := range []time.Time{day(2020, 4, 10), day(2020, 6, 20), day(2022, 1, 1), day(2022, 2, 1), day(2022, 3, 1), after} {
				for _, s := range []Scope{{}, {Role: RoleProvince, Code: "17"}, {Role: RoleDistrict, Code: "150"}} {
					got, err := db.Forecast(ctx, "deputies", s, at)
					if err != nil {
						t.Fatal(err)
					}
					want, err := db.AsOf(after).Forecast(ctx, "deputies", s, at)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%+v at %s: got %+v, want %+v", s, at.Format(time.DateOnly), got, want)
					}
				}
			}
		})
		t.Run("too early after the plan starts", func(t *testing.T) {
			at := day(2020, 4, 10)
			f, err := db.AsOf(at).Forecast(ctx, "deputies", Scope{}, at)
			if err != nil {
				t.Fatal(err)
			}
			if f.Scope.State != ForecastTooEarly {
				t.Errorf("forecast %+v", f.Scope)
			}
		})
	})
}
