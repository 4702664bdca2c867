package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// stateOf is everything a view shows of the posts, to compare the store
// as it was (captured live) with the store as of that moment (AsOf).
type stateOf struct {
	Posts      []Post
	Statuses   map[string][3][3]int
	Vacancies  []Vacancy
	Vacant     int
	Counts     map[PostKind]map[Status]int
	Progress   map[string][2]int // milestone → done, total
	History    int
	Submitted  []string
	FirstKnown bool
}

func captureState(t *testing.T, db *DB, plan Plan) stateOf {
	t.Helper()
	ctx := context.Background()
	var st stateOf
	var err error
	district := Scope{Role: RoleDistrict, Code: "150"}
	if st.Posts, err = db.Posts(ctx, district); err != nil {
		t.Fatal(err)
	}
	sc, err := db.CountStatuses(ctx, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	st.Statuses = make(map[string][3][3]int)
	for c, n := range sc {
		st.Statuses[c] = *n
	}
	if st.Vacancies, err = db.Vacancies(ctx, district, nil, nil); err != nil {
		t.Fatal(err)
	}
	vacant, err := db.Vacancies(ctx, Scope{Role: RoleProvince, Code: "17"}, nil, []Status{Vacant})
	if err != nil {
		t.Fatal(err)
	}
	st.Vacant = len(vacant)
	counts, err := db.Counts(ctx, at(0))
	if err != nil {
		t.Fatal(err)
	}
	st.Counts = counts.Posts
	st.Progress = make(map[string][2]int)
	for _, m := range plan.Milestones {
		pr, err := db.Progress(ctx, m.ID, Scope{})
		if err != nil {
			t.Fatal(err)
		}
		st.Progress[m.ID] = [2]int{pr.Done, pr.Total}
	}
	h, err := db.History(ctx, "04849", 0)
	if err != nil {
		t.Fatal(err)
	}
	st.History = len(h)
	if st.Submitted, err = db.Submissions(ctx, "district-plans"); err != nil {
		t.Fatal(err)
	}
	_, st.FirstKnown, err = db.FirstReport(ctx, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestAsOf builds a history step by step, capturing what the store shows
// after each, then asks the store as of each moment: it must show what
// was true then, including changes recorded out of order (a report whose
// time is earlier than one already recorded, as `caxbot chat --date`
// makes).
func TestAsOf(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		plan := SeedPlan(db.Location())
		if err := db.SavePlan(ctx, plan, "test", at(0)); err != nil {
			t.Fatal(err)
		}
		if err := db.SetGroup(ctx, SeedPilotGroup, []string{"04831"}, "test", at(0)); err != nil {
			t.Fatal(err)
		}
		moments := []time.Time{at(5)} // before anything is known
		states := []stateOf{captureState(t, db, plan)}
		step := func(when time.Time, do func()) {
			t.Helper()
			do()
			moments = append(moments, when.Add(time.Minute))
			states = append(states, captureState(t, db, plan))
		}
		change := func(ch Change) {
			t.Helper()
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		step(at(10), func() {
			if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
				t.Fatal(err)
			}
		})
		step(at(20), func() {
			change(Change{Ref: PostRef{"04855", Chief, 1}, Status: Regular, Holder: "Hà Văn Dũng", Actor: "user:1", At: at(20)})
		})
		step(at(30), func() {
			change(Change{Ref: PostRef{"04849", Deputy, 1}, Status: Vacant, Actor: "user:1", At: at(30)})
			change(Change{Ref: PostRef{"04849", Officer, 2}, Status: Semi, Holder: "Bùi Thị Mai", Actor: "user:1", At: at(30)})
			if err := db.RecordSubmission(ctx, "district-plans", "150", "cli", at(30)); err != nil {
				t.Fatal(err)
			}
		})
		step(at(40), func() {
			change(Change{Ref: PostRef{"04849", Deputy, 1}, Status: Regular, Holder: "Đinh Văn Toàn", Actor: "user:2", At: at(40)})
		})
		for i, when := range moments {
			if got := captureState(t, db.AsOf(when), plan); !reflect.DeepEqual(got, states[i]) {
				t.Errorf("as of %s:\n got %+v\nwant %+v", when.Format(time.TimeOnly), got, states[i])
			}
		}
		if db.AsOf(time.Time{}) != db || db.AsOf(at(1)).AsOf(time.Time{}).AsOfTime() != (time.Time{}) {
			t.Error("AsOf(zero) is not the store as it is now")
		}

		// Recorded last, timed before the last step: the view orders the
		// reports by their time, as the trail does.
		late := PostRef{"04855", Officer, 2}
		change(Change{Ref: late, Status: Regular, Holder: "Lò Văn Hùng", Actor: "user:3", At: at(35)})
		for _, tt := range []struct {
			when time.Time
			want Status
		}{{at(34), Vacant}, {at(36), Regular}, {at(60), Regular}} {
			posts, err := db.AsOf(tt.when).CommunePosts(ctx, late.CommuneCode)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range posts {
				if p.Ref() == late && p.Status != tt.want {
					t.Errorf("as of %s, %s is %s, want %s", tt.when.Format(time.TimeOnly), late, p.Status, tt.want)
				}
			}
		}
	})
}
