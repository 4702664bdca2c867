package review_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders/review"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestReviewNamesActors: the review's list of the period's changes (a
// sheet of its workbook) names the command line, a file and a user
// removed since in words, as the history does, never by an actor's id.
func TestReviewNamesActors(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	loc := db.Location()
	day := func(m time.Month, d int) time.Time { return time.Date(2020, m, d, 0, 0, 0, 0, loc) }
	storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Hòa Bình"}, day(1, 1))
	communes, err := db.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: "157"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		store.CommandLineActor:      "quản trị hệ thống (dòng lệnh)",
		"import:bo-nhiem-dot-2.csv": "nhập từ tệp bo-nhiem-dot-2.csv",
		"user:4242":                 "người dùng Telegram 4242 (không còn trong hệ thống)",
	}
	i := 0
	for actor := range want {
		if _, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: communes[i].Code, Kind: store.Chief, Slot: 1},
			Status: store.Regular, Holder: "Hà Văn Dũng", Actor: actor, At: day(3, 10+i).Add(9 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		i++
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := review.Build(ctx, db, cat, review.Request{Kind: review.Period, From: day(3, 1), To: day(3, 31), Lang: "vi",
		Now: time.Date(2020, 4, 2, 10, 0, 0, 0, loc)})
	if err != nil {
		t.Fatal(err)
	}
	var xlsx bytes.Buffer
	if err := review.Workbook(&xlsx, doc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Danh sách thay đổi")
	if err != nil {
		t.Fatalf("no sheet “Danh sách thay đổi” among %q: %v", f.GetSheetList(), err)
	}
	named := make(map[string]bool)
	for _, r := range rows {
		if len(r) == 7 {
			named[r[6]] = true
		}
	}
	for actor, name := range want {
		if !named[name] || named[actor] {
			t.Errorf("the changes' list names %s as %v, want %q", actor, named, name)
		}
	}
}
