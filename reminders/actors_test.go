package reminders_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/reminders/digest"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestDigestWorkbookNamesActors: a week's reports made through the
// command line, from a file and by a user removed since are named in
// words in the digest's workbook, as the history names them.
func TestDigestWorkbookNamesActors(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	srv := tgtest.NewServer(tgtest.Options{})
	defer srv.Close()
	setupRoster(t, db, srv)
	communes, err := db.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: "157"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		store.CommandLineActor:      "quản trị hệ thống (dòng lệnh)",
		"import:bo-nhiem-dot-2.csv": "nhập từ tệp bo-nhiem-dot-2.csv",
		"user:4242":                 "người dùng Telegram 4242 (không còn trong hệ thống)",
	}
	at := day(2020, 3, 18).Add(9 * time.Hour)
	i := 0
	for actor := range want {
		if _, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: communes[i].Code, Kind: store.Chief, Slot: 1},
			Status: store.Regular, Holder: "Hà Văn Dũng", Actor: actor, At: at.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		i++
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, err := reminders.BuildDigest(ctx, db, cat, "vi", store.Scope{Role: store.RoleProvince, Code: "17"}, day(2020, 3, 23).Add(7*time.Hour+30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := digest.Workbook(&buf, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Báo cáo trong tuần")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	for _, r := range d.Reports {
		seen[r.Actor] = true
	}
	for actor, name := range want {
		if !seen[actor] {
			t.Errorf("the week's reports lack the one by %s", actor)
		}
		found := false
		for _, row := range rows[1:] {
			if len(row) > 7 && row[7] == name {
				found = true
			}
			if len(row) > 7 && row[7] == actor {
				t.Errorf("the workbook names an actor by its id: %q", row)
			}
		}
		if !found {
			t.Errorf("no row of the workbook names %q", name)
		}
	}
}
