package reminders

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestWeeklySourceIsEachProvinceDigest: the weekly job reads the week's
// reports, their details and their actors once for the whole store and
// builds each province's digest from them; each is the digest the bot's
// /baocaotuan builds for that province alone (BuildDigest), with the
// reports of the province only, in order, their decisions and their
// actors named: a user with their position, a user removed since, a file
// and the command line. Two provinces, both backends.
func TestWeeklySourceIsEachProvinceDigest(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			loc := db.Location()
			then := time.Date(2020, 1, 1, 0, 0, 0, 0, loc)
			storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, then)
			if _, err := db.ImportCommunes(ctx, []store.CommuneRow{
				{Line: 2, ProvinceCode: "01", ProvinceName: "Hà Nội", DistrictCode: "250", DistrictName: "Mê Linh", Code: "08980", Name: "Chi Đông", Type: store.ThiTran},
				{Line: 3, ProvinceCode: "01", ProvinceName: "Hà Nội", DistrictCode: "250", DistrictName: "Mê Linh", Code: "08983", Name: "Đại Thịnh", Type: store.Xa},
			}, store.Province{Code: "01", Name: "Hà Nội"}, "hanoi.csv", then); err != nil {
				t.Fatal(err)
			}
			if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", then); err != nil {
				t.Fatal(err)
			}
			for _, u := range []store.User{
				{TelegramID: 700001, Name: "Bùi Văn An", Role: store.RoleCommune, Scope: "04849", Lang: "vi"},
				{TelegramID: 700002, Name: "Nguyễn Văn Bình", Role: store.RoleCommune, Scope: "08980", Lang: "vi"},
				{TelegramID: 900001, Name: "Phòng Tham mưu", Role: store.RoleProvince, Scope: "17", Lang: "vi"},
			} {
				if err := db.AddUser(ctx, u, "test", then); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Date(2020, 3, 23, 7, 30, 0, 0, loc)
			signed := time.Date(2020, 3, 15, 0, 0, 0, 0, loc)
			for i, ch := range []store.Change{
				{Ref: store.PostRef{CommuneCode: "04849", Kind: store.Chief, Slot: 1}, Actor: "user:700001", Check: store.CheckReported,
					Decision: store.Decision{Number: "125/QĐ-CAT-PX01", Date: &signed, Issuer: "Giám đốc Công an tỉnh"}},
				{Ref: store.PostRef{CommuneCode: "08980", Kind: store.Chief, Slot: 1}, Actor: "user:700002"},
				{Ref: store.PostRef{CommuneCode: "08983", Kind: store.Chief, Slot: 1}, Actor: "user:4242"},
				{Ref: store.PostRef{CommuneCode: "04855", Kind: store.Chief, Slot: 1}, Actor: "import:bo-nhiem-dot-2.csv"},
				{Ref: store.PostRef{CommuneCode: "08983", Kind: store.Deputy, Slot: 1}, Actor: store.CommandLineActor},
				// Before the week: in neither digest's list.
				{Ref: store.PostRef{CommuneCode: "08980", Kind: store.Deputy, Slot: 1}, Actor: "user:700002", At: now.AddDate(0, 0, -8)},
			} {
				ch.Status, ch.Holder = store.Regular, "Hà Văn Dũng"
				if ch.At.IsZero() {
					ch.At = now.AddDate(0, 0, -3).Add(time.Duration(i) * time.Hour)
				}
				if _, err := db.ApplyChange(ctx, ch); err != nil {
					t.Fatal(err)
				}
			}
			cat, err := locales.Load()
			if err != nil {
				t.Fatal(err)
			}
			src, err := newDigestSource(ctx, db, store.Scope{}, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, code := range []string{"17", "01"} {
				scope := store.Scope{Role: store.RoleProvince, Code: code}
				got, err := src.digest(ctx, cat, "vi", scope)
				if err != nil {
					t.Fatal(err)
				}
				want, err := BuildDigest(ctx, db, cat, "vi", scope, now)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Reports) != 2 && code == "17" || len(got.Reports) != 3 && code == "01" {
					t.Errorf("province %s: %d reports in the week, want 2 in 17 and 3 in 01", code, len(got.Reports))
				}
				for _, c := range []struct {
					what      string
					got, want any
				}{
					{"reports", got.Reports, want.Reports},
					{"details", got.Details, want.Details},
					{"actors", got.ActorNames, want.ActorNames},
					{"milestones", got.Milestones, want.Milestones},
					{"roster", got.Roster, want.Roster},
				} {
					if !reflect.DeepEqual(c.got, c.want) {
						t.Errorf("province %s, %s:\n got %+v\nwant %+v", code, c.what, c.got, c.want)
					}
				}
				if code == "17" && (len(got.Details) != 1 || len(got.ActorNames) != 2) {
					t.Errorf("Hòa Bình: details %+v and actors %v, want the decision and two actors", got.Details, got.ActorNames)
				}
			}
		})
	}
}
