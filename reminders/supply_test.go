package reminders_test

import (
	"bytes"
	"context"
	"strings"
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

// TestDigestShowsSupply puts two people in the register, one senior
// enough to be chief, and checks that the digest weighs them against the
// chiefs still missing: in its text and above the milestone's table.
func TestDigestShowsSupply(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	srv := tgtest.NewServer(tgtest.Options{})
	defer srv.Close()
	setupRoster(t, db, srv)
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := day(2020, 3, 23).Add(7*time.Hour + 30*time.Minute)
	scope := store.Scope{Role: store.RoleProvince, Code: "17"}
	build := func() digest.Digest {
		t.Helper()
		d, err := reminders.BuildDigest(ctx, db, cat, "vi", scope, now)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, m := range build().Milestones {
		if m.Supply != "" {
			t.Fatalf("supply %q with an empty register", m.Supply)
		}
	}
	communes, err := db.Communes(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	chiefGap := func(d digest.Digest) (digest.MilestoneDigest, int) {
		for _, m := range d.Milestones {
			if m.Progress.Milestone.ID == "chief-q1-2020" {
				gap := 0
				for _, c := range m.Progress.Behind() {
					gap += c.Missing[store.Chief]
				}
				return m, gap
			}
		}
		t.Fatal("no chief-q1-2020 in the digest")
		return digest.MilestoneDigest{}, 0
	}
	p := cat.Printer("vi", hanoi)
	// Someone available only after the deadline: a register with no one
	// for the milestone says so, without a "0 người".
	late, err := store.ParseCandidates(strings.NewReader("id,name,rank,service_since,home_commune_code,posts,available_from,notes\n" +
		"CA-0,Hà Văn Sơn,Đại úy,2010-09-01," + communes[20].Code + ",,01/05/2020,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportCandidates(ctx, late, "nguon-0.csv", now); err != nil {
		t.Fatal(err)
	}
	if m, gap := chiefGap(build()); m.Supply != p.T("supply.line.none", p.Num(gap)) {
		t.Errorf("supply %q with no one available before the deadline", m.Supply)
	}
	rows, err := store.ParseCandidates(strings.NewReader("id,name,rank,service_since,home_commune_code,posts,available_from,notes\n" +
		"CA-1,Đinh Công Tráng,Đại úy,2010-09-01," + communes[20].Code + ",,01/03/2020,\n" +
		"HV-1,Bùi Văn Hùng,Thiếu úy,2019-08-01," + communes[20].Code + ",,01/03/2020,tiếng Mường\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportCandidates(ctx, rows, "nguon.csv", now); err != nil {
		t.Fatal(err)
	}
	d := build()
	chief, gap := chiefGap(d)
	// One captain for the missing chiefs (the graduate may not be chief).
	want := p.T("supply.line.short", p.Num(gap), "1", "1")
	if chief.Supply != want {
		t.Fatalf("supply %q, want %q", chief.Supply, want)
	}
	if text := reminders.DigestText(p, d); !strings.Contains(text, want) {
		t.Errorf("digest text lacks the supply line:\n%s", text)
	}
	var buf bytes.Buffer
	if err := digest.Workbook(&buf, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sheet := range f.GetSheetList() {
		if v, _ := f.GetCellValue(sheet, "A3"); v == want {
			found = true
		}
	}
	if !found {
		t.Errorf("no sheet shows the supply line in A3")
	}
}
