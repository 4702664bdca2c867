package store

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestApplyChange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		deputy := PostRef{CommuneCode: "04849", Kind: Deputy, Slot: 1}
		seen := Post{CommuneCode: "04849", Kind: Deputy, Slot: 1, Status: Semi, Holder: "Đinh Thị Hoa"}
		since := time.Date(2020, 3, 15, 0, 0, 0, 0, db.Location())

		rep, err := db.ApplyChange(ctx, Change{Ref: deputy, Status: Regular, Holder: "Hà Văn Dũng", Since: &since,
			Actor: "user:1001", Source: "message:42", At: at(20), Expect: &seen})
		if err != nil {
			t.Fatal(err)
		}
		if rep.ID == 0 || rep.OldStatus != Semi || rep.NewStatus != Regular || rep.OldHolder != "Đinh Thị Hoa" ||
			rep.NewHolder != "Hà Văn Dũng" || rep.Since.Format(time.DateOnly) != "2020-03-15" || !rep.At.Equal(at(20)) {
			t.Errorf("report = %+v", rep)
		}
		posts, err := db.CommunePosts(ctx, "04849")
		if err != nil {
			t.Fatal(err)
		}
		if p := posts[1]; p.Status != Regular || p.Holder != "Hà Văn Dũng" || p.Since.Format(time.DateOnly) != "2020-03-15" {
			t.Errorf("post after the change = %+v", p)
		}
		history, err := db.History(ctx, "04849", 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 2 || history[0].ID != rep.ID || history[0].Source != "message:42" || history[0].Actor != "user:1001" {
			t.Errorf("History = %+v, want the new report first", history)
		}

		tests := []struct {
			name string
			ch   Change
			want error
		}{
			{"stale expectation", Change{Ref: deputy, Status: Vacant, Actor: "user:1002", At: at(21), Expect: &seen}, ErrStale},
			{"expectation of a post that does not exist", Change{Ref: PostRef{"04849", Deputy, 2}, Status: Semi, Holder: "Bùi Thị Mai",
				Actor: "user:1002", At: at(21), Expect: &Post{Status: Semi}}, ErrStale},
			{"same state again", Change{Ref: deputy, Status: Regular, Holder: "Hà Văn Dũng", Actor: "user:1002", At: at(21)}, ErrNoChange},
			{"unknown commune", Change{Ref: PostRef{"99999", Chief, 1}, Status: Regular, Actor: "user:1002", At: at(21)}, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := db.ApplyChange(ctx, tt.ch); !errors.Is(err, tt.want) {
					t.Errorf("error = %v, want %v", err, tt.want)
				}
				h, err := db.History(ctx, "04849", 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(h) != 4 {
					t.Errorf("history has %d reports, want 4: nothing written", len(h))
				}
			})
		}

		t.Run("a new post", func(t *testing.T) {
			rep, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Officer, 3}, Status: Semi, Holder: "Bùi Thị Mai",
				Actor: "user:1003", Source: "message:43", At: at(22)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.OldStatus != "" || rep.NewStatus != Semi {
				t.Errorf("report = %+v, want no old status", rep)
			}
		})

		t.Run("two people add the same new post", func(t *testing.T) {
			add := func(holder string, at time.Time) error {
				_, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Officer, 4}, Status: Regular, Holder: holder,
					Actor: "user:1003", At: at, ExpectNew: true})
				return err
			}
			if err := add("Hà Văn Tư", at(23)); err != nil {
				t.Fatalf("first: %v", err)
			}
			if err := add("Đinh Văn Năm", at(24)); !errors.Is(err, ErrStale) {
				t.Errorf("second, another holder: error %v, want ErrStale", err)
			}
			if err := add("Hà Văn Tư", at(25)); !errors.Is(err, ErrNoChange) {
				t.Errorf("second, the same holder: error %v, want ErrNoChange", err)
			}
			posts, err := db.CommunePosts(ctx, "04849")
			if err != nil {
				t.Fatal(err)
			}
			if last := posts[len(posts)-1]; last.Slot != 4 || last.Holder != "Hà Văn Tư" {
				t.Errorf("officer 4 = %+v, want the first report's", last)
			}
			if _, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Officer, 4}, Status: Vacant, Actor: "user:1",
				At: at(26), Expect: &Post{}, ExpectNew: true}); err == nil {
				t.Error("a change expecting a post and none: no error")
			}
		})

		t.Run("between", func(t *testing.T) {
			got, err := db.ReportsBetween(ctx, Scope{Role: RoleDistrict, Code: "150"}, at(20), at(22))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ID != rep.ID {
				t.Errorf("ReportsBetween = %+v, want the one report at %v", got, at(20))
			}
			got, err = db.ReportsBetween(ctx, Scope{Role: RoleDistrict, Code: "159"}, at(0), at(60))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Errorf("ReportsBetween(Lạc Thủy) = %d reports, want the 2 of the import", len(got))
			}
		})
	})
}

func TestApplyChanges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		chief := Post{CommuneCode: "04855", Kind: Chief, Slot: 1, Status: Semi, Holder: "Xa Văn Minh"}
		officer2 := Post{CommuneCode: "04855", Kind: Officer, Slot: 2, Status: Vacant}
		since := time.Date(2020, 3, 20, 0, 0, 0, 0, db.Location())
		form := func(officerSeen Post, holder string) []Change {
			return []Change{
				{Ref: chief.Ref(), Status: Regular, Holder: "Hà Văn Dũng", Since: &since, Actor: "user:3001", Source: "webapp", At: at(20), Expect: &chief},
				// The officer 1 as it stands: nothing to write.
				{Ref: PostRef{"04855", Officer, 1}, Status: Regular, Holder: "Lò Văn Tâm", Actor: "user:3001", Source: "webapp", At: at(20),
					Expect: &Post{Status: Regular, Holder: "Lò Văn Tâm"}},
				{Ref: officer2.Ref(), Status: Semi, Holder: holder, Actor: "user:3001", Source: "webapp", At: at(20), Expect: &officerSeen},
				{Ref: PostRef{"04855", Deputy, 1}, Status: Semi, Holder: "Bùi Thị Mai", Actor: "user:3001", Source: "webapp", At: at(20), ExpectNew: true},
			}
		}
		reports := func() int {
			h, err := db.History(ctx, "04855", 0)
			if err != nil {
				t.Fatal(err)
			}
			return len(h)
		}
		before := reports()

		refused := []struct {
			name string
			chs  []Change
			want error
		}{
			{"one change stale", form(Post{Status: Semi, Holder: "Lò Thị Xuân"}, "Lò Văn Sáng"), ErrStale},
			{"one holder refused", form(officer2, "/huy"), nil},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.ApplyChanges(ctx, tt.chs)
				if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
					t.Fatalf("error = %v, want %v", err, tt.want)
				}
				if n := reports(); n != before {
					t.Errorf("%d reports, want %d: nothing written", n, before)
				}
				posts, err := db.CommunePosts(ctx, "04855")
				if err != nil {
					t.Fatal(err)
				}
				if posts[0].Status != Semi {
					t.Errorf("chief = %+v, want it unchanged", posts[0])
				}
			})
		}

		got, err := db.ApplyChanges(ctx, form(officer2, "  Lò   Văn Sáng "))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].NewHolder != "Hà Văn Dũng" || got[1].NewHolder != "Lò Văn Sáng" || got[2].OldStatus != "" {
			t.Errorf("reports = %+v, want three, the unchanged post left out, the name cleaned", got)
		}
		if n := reports(); n != before+3 {
			t.Errorf("%d reports, want %d", n, before+3)
		}
		if _, err := db.ApplyChanges(ctx, form(officer2, "Lò Văn Sáng")[1:2]); !errors.Is(err, ErrNoChange) {
			t.Errorf("nothing to change: error = %v, want ErrNoChange", err)
		}
	})
}

func TestReportsAfter(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		if _, err := importPostsCSV(t, db, "posts.csv", postsCSV, at(10)); err != nil {
			t.Fatal(err)
		}
		last, err := db.LastReportID(ctx)
		if err != nil || last == 0 {
			t.Fatalf("LastReportID = %d, %v", last, err)
		}
		rep, err := db.ApplyChange(ctx, Change{Ref: PostRef{"04849", Deputy, 1}, Status: Regular, Holder: "Hà Văn Dũng", Actor: "user:1001", At: at(20)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ReportsAfter(ctx, last, 10)
		if err != nil || len(got) != 1 || got[0].ID != rep.ID || got[0].OldStatus != Semi || got[0].NewStatus != Regular {
			t.Errorf("ReportsAfter = %+v, %v", got, err)
		}
		if now, err := db.LastReportID(ctx); err != nil || now != rep.ID {
			t.Errorf("LastReportID = %d, %v, want %d", now, err, rep.ID)
		}
		if all, err := db.ReportsAfter(ctx, 0, 3); err != nil || len(all) != 3 || all[0].ID >= all[1].ID {
			t.Errorf("ReportsAfter(0, 3) = %d reports, %v", len(all), err)
		}
	})
}

// TestReportsBetweenByProvince: the week's reports of a store of two
// provinces, read once, are what ReportsBetween gives each province's
// scope, in the same order, those outside the window left out.
func TestReportsBetweenByProvince(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		hanoi := []CommuneRow{
			{Line: 2, ProvinceCode: "01", ProvinceName: "Hà Nội", DistrictCode: "001", DistrictName: "Ba Đình", Code: "00001", Name: "Phúc Xá", Type: Phuong},
			{Line: 3, ProvinceCode: "01", ProvinceName: "Hà Nội", DistrictCode: "250", DistrictName: "Mê Linh", Code: "08980", Name: "Chi Đông", Type: ThiTran},
		}
		if _, err := db.ImportCommunes(ctx, hanoi, Province{Code: "01", Name: "Hà Nội"}, "hanoi.csv", at(0)); err != nil {
			t.Fatal(err)
		}
		// Hòa Bình at 10 and 12, Hà Nội at 11 and 12 (two at one moment:
		// the ids order them), one of each before the window, one after.
		for i, ch := range []Change{
			{Ref: PostRef{"04849", Chief, 1}, At: at(5)},
			{Ref: PostRef{"08980", Chief, 1}, At: at(6)},
			{Ref: PostRef{"04849", Deputy, 1}, At: at(10)},
			{Ref: PostRef{"00001", Chief, 1}, At: at(11)},
			{Ref: PostRef{"08980", Deputy, 1}, At: at(12)},
			{Ref: PostRef{"04855", Chief, 1}, At: at(12)},
			{Ref: PostRef{"00001", Deputy, 1}, At: at(20)},
		} {
			ch.Status, ch.Holder, ch.Actor = Regular, "Nguyễn Văn "+strconv.Itoa(i), "user:"+strconv.Itoa(1000+i)
			if _, err := db.ApplyChange(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.ReportsBetweenByProvince(ctx, at(10), at(20))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || len(got["17"]) != 2 || len(got["01"]) != 2 {
			t.Fatalf("by province: %v, want 2 reports of each of 17 and 01", got)
		}
		for _, code := range []string{"17", "01"} {
			want, err := db.ReportsBetween(ctx, Scope{Role: RoleProvince, Code: code}, at(10), at(20))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[code], want) {
				t.Errorf("province %s: %+v\nwant %+v", code, got[code], want)
			}
		}
	})
}
