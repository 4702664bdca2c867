package review_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestReviewThroughMapChanges reviews the first quarter of 2020, then
// imports the worked example of README (the 2025 merges and the end of
// districts) and reviews it again: the review of a period before the
// changes is the same, district by district and commune by commune.
func TestReviewThroughMapChanges(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			loc := db.Location()
			day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
			storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, day(2020, 1, 1))
			if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", day(2020, 1, 1)); err != nil {
				t.Fatal(err)
			}
			var rows []store.PostRow
			for i, code := range []string{"04831", "04849", "04852", "04855", "04885", "04924", "04942", "04789", "05392"} {
				rows = append(rows, store.PostRow{Line: i + 2, Post: store.Post{CommuneCode: code, Kind: store.Chief, Slot: 1, Status: store.Semi, Holder: "Bán chuyên trách " + code}})
			}
			if _, err := db.ImportPosts(ctx, rows, "chiefs.csv", day(2020, 2, 1)); err != nil {
				t.Fatal(err)
			}
			for i, code := range []string{"04849", "04885", "04942"} {
				if _, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: code, Kind: store.Chief, Slot: 1},
					Status: store.Regular, Holder: "Chính quy " + code, Actor: "import:bo-nhiem.csv", At: day(2020, 3, 10+i).Add(9 * time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			cat, err := locales.Load()
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2025, 7, 2, 9, 0, 0, 0, loc)
			req := review.Request{Kind: review.Period, From: day(2020, 1, 1), To: day(2020, 3, 31), Lang: "vi", Now: now}
			before, err := review.Build(ctx, db, cat, req)
			if err != nil {
				t.Fatal(err)
			}

			storetest.ImportHoaBinhChanges(t, db, now)
			after, err := review.Build(ctx, db, cat, req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the review of the first quarter of 2020 changed with the 2025 map:\nbefore %+v\n after %+v", before, after)
			}
		})
	}
}
