package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestSavePlan(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		hcm := db.Location()
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, hcm) }
		plan := Plan{ID: "de-an-2020", TitleVI: "Đề án công an chính quy về xã", TitleEN: "Regular police in communes",
			Milestones: []Milestone{
				{ID: "chiefs-q1", Seq: 1, TitleVI: "Trưởng Công an xã chính quy", TitleEN: "Regular chiefs", Kind: KindPosts,
					Communes: Selector{Types: []CommuneType{Xa, ThiTran}, ExceptGroup: "pilot-2019"},
					Posts:    []PostKind{Chief}, Target: Regular, Start: day(2020, 1, 1), Deadline: day(2020, 3, 31),
					Remind: Reminders{BeforeDays: []int{14, 7, 1}, OnDay: true, AfterEvery: 3, EscalateAfter: 7}},
				{ID: "district-plans", Seq: 2, TitleVI: "Kế hoạch triển khai của huyện", Kind: KindDistrictReport,
					Start: day(2020, 1, 1), Deadline: day(2020, 1, 15), Remind: Reminders{BeforeDays: []int{3}}},
			}}
		if err := db.SavePlan(ctx, plan, "user:1001", at(0)); err != nil {
			t.Fatal(err)
		}
		for i := range plan.Milestones {
			plan.Milestones[i].PlanID = plan.ID
		}
		// A milestone without posts comes back with an empty list.
		plan.Milestones[1].Posts = []PostKind{}

		plans, err := db.Plans(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != 1 || !reflect.DeepEqual(plans[0], plan) {
			t.Fatalf("Plans =\n%+v\nwant\n%+v", plans, plan)
		}
		m, err := db.Milestone(ctx, "chiefs-q1")
		if err != nil {
			t.Fatal(err)
		}
		if !m.Deadline.Equal(day(2020, 3, 31)) || m.Deadline.Location().String() != "Asia/Ho_Chi_Minh" {
			t.Errorf("deadline = %v, want midnight 31/03/2020 in Asia/Ho_Chi_Minh", m.Deadline)
		}

		t.Run("re-save keeps submissions of kept milestones", func(t *testing.T) {
			if err := db.RecordSubmission(ctx, "district-plans", "150", "user:1002", at(5)); err != nil {
				t.Fatal(err)
			}
			plan.Milestones[1].Deadline = day(2020, 1, 20)
			plan.Milestones = plan.Milestones[1:]
			if err := db.SavePlan(ctx, plan, "user:1001", at(6)); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Milestone(ctx, "chiefs-q1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("dropped milestone: error = %v, want ErrNotFound", err)
			}
			m, err := db.Milestone(ctx, "district-plans")
			if err != nil {
				t.Fatal(err)
			}
			if !m.Deadline.Equal(day(2020, 1, 20)) {
				t.Errorf("deadline = %v, want 20/01/2020", m.Deadline)
			}
			subs, err := db.Submissions(ctx, "district-plans")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(subs, []string{"150"}) {
				t.Errorf("Submissions = %v, want [150]", subs)
			}
		})
	})
}

func TestEnqueue(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		items := []OutboxItem{
			{Key: "reminder:chiefs-q1:-7:1002", ChatID: 1002, Kind: "reminder", Payload: `{"milestone":"chiefs-q1"}`, DueAt: at(0)},
			{Key: "reminder:chiefs-q1:-7:1003", ChatID: 1003, Kind: "reminder", Payload: `{"milestone":"chiefs-q1"}`, DueAt: at(0)},
		}
		tests := []struct {
			name  string
			items []OutboxItem
			want  int
		}{
			{"new items", items, 2},
			{"the same again", items, 0},
			{"one old, one new", []OutboxItem{items[0], {Key: "digest:2020-10:1001", ChatID: 1001, Kind: "digest", Payload: "{}", DueAt: at(5)}}, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				n, err := db.Enqueue(ctx, tt.items)
				if err != nil {
					t.Fatal(err)
				}
				if n != tt.want {
					t.Errorf("Enqueue inserted %d, want %d", n, tt.want)
				}
			})
		}
		var state string
		if err := db.db.GetContext(ctx, &state, "SELECT state FROM outbox WHERE key = $1", items[0].Key); err != nil {
			t.Fatal(err)
		}
		if state != string(OutboxPending) {
			t.Errorf("state = %q, want pending", state)
		}
		if _, err := db.Enqueue(ctx, []OutboxItem{{ChatID: 1, Kind: "reminder", DueAt: at(0)}}); err == nil {
			t.Error("Enqueue of an item without a key succeeded")
		}
	})
}
