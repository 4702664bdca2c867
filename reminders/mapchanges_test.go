package reminders

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/digest"
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

// TestDigestAfterDistrictsEnd: the weekly digest of a province without
// districts captions its chart as the whole province's progress, not
// "các huyện, thành phố", whose one bar would be the province itself.
func TestDigestAfterDistrictsEnd(t *testing.T) {
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
			storetest.ImportHoaBinhChanges(t, db, time.Date(2025, 7, 2, 9, 0, 0, 0, loc))
			cat, err := locales.Load()
			if err != nil {
				t.Fatal(err)
			}
			d, err := BuildDigest(ctx, db, cat, "vi", store.Scope{Role: store.RoleProvince, Code: "17"}, time.Date(2025, 7, 7, 7, 30, 0, 0, loc))
			if err != nil {
				t.Fatal(err)
			}
			parts, err := DigestMessages(new(digest.Renderer), cat.Printer("vi", loc), d)
			if err != nil {
				t.Fatal(err)
			}
			charts := 0
			for _, p := range parts {
				if p.Name != "chart" {
					continue
				}
				charts++
				if c := p.Message.Text; !strings.Contains(c, " — tiến độ toàn tỉnh đến ngày 07/07/2025") || strings.Contains(c, "huyện") {
					t.Errorf("chart caption %q, want the whole province's progress", c)
				}
			}
			if charts != 1 {
				t.Errorf("%d charts, want 1", charts)
			}
		})
	}
}
