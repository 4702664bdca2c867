package reminders

import (
	"context"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestPlanAfterDistrictsEnd plans a milestone's reminders over Hòa Bình
// after the worked example of README (the 2025 merges, then the end of
// districts): the commune user moved to the merged commune is reminded
// of it, and nobody gets a district's reminder, the district heads being
// the province's users now.
func TestPlanAfterDistrictsEnd(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			loc := db.Location()
			then := time.Date(2020, 1, 1, 0, 0, 0, 0, loc)
			storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, then)
			if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", then); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ImportPosts(ctx, []store.PostRow{
				{Line: 2, Post: store.Post{CommuneCode: "04849", Kind: store.Chief, Slot: 1, Status: store.Semi, Holder: "Bùi Văn An"}},
				{Line: 3, Post: store.Post{CommuneCode: "04852", Kind: store.Chief, Slot: 1, Status: store.Regular, Holder: "Xa Văn Thắng"}},
			}, "posts.csv", then); err != nil {
				t.Fatal(err)
			}
			for _, u := range []store.User{
				{TelegramID: 1001, Name: "Đinh Công Sơn", Role: store.RoleDistrict, Scope: "150", Lang: "vi"},
				{TelegramID: 1003, Name: "Bùi Văn An", Role: store.RoleCommune, Scope: "04849", Lang: "vi"},
				{TelegramID: 1006, Name: "Hà Văn Dũng", Role: store.RoleProvince, Scope: "17", Lang: "vi"},
			} {
				if err := db.AddUser(ctx, u, "test", then); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Date(2025, 7, 2, 9, 0, 0, 0, loc)
			storetest.ImportHoaBinhChanges(t, db, now)

			progress, err := db.Progress(ctx, "chief-q1-2020", store.Scope{Role: store.RoleProvince, Code: "17"})
			if err != nil {
				t.Fatal(err)
			}
			if len(progress.Districts) != 1 || !progress.Districts[0].District.Direct() {
				t.Fatalf("progress by district: %+v, want the province's own unit alone", progress.Districts)
			}
			users, err := db.Users(ctx, store.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			rs := Plan(Occasion{MilestoneID: "chief-q1-2020", Kind: OccasionAfter, Days: 7, Due: now}, progress, users, Acks{}, now)
			if len(rs) != 1 || rs[0].Recipient.ChatID != 1003 || rs[0].Commune == nil || rs[0].Commune.Commune.Code != "90001" {
				for _, r := range rs {
					t.Logf("reminder to %d (%s %s)", r.Recipient.ChatID, r.Recipient.Role, r.Recipient.Scope)
				}
				t.Errorf("%d reminders, want one, to 1003 about 90001", len(rs))
			}
		})
	}
}
