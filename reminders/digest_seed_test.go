package reminders_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strconv"
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

// TestSeedDigestFiles builds the digest of the seed plan on the known
// roster as of 23/03/2020, and checks its chart and workbook: the PNG
// decodes, and the workbook, reopened, shows the store's totals.
func TestSeedDigestFiles(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	srv := tgtest.NewServer(tgtest.Options{})
	defer srv.Close()
	r := setupRoster(t, db, srv)
	for d := day(2020, 2, 1); d.Before(day(2020, 3, 23)); d = d.AddDate(0, 0, 1) {
		r.changesOn(ctx, t, db, d)
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := day(2020, 3, 23).Add(7*time.Hour + 30*time.Minute)
	scope := store.Scope{Role: store.RoleProvince, Code: "17"}
	d, err := reminders.BuildDigest(ctx, db, cat, "vi", scope, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Milestones) != 3 {
		t.Fatalf("digest has %d milestones, want keep-2019, district-plans and chief-q1-2020", len(d.Milestones))
	}
	// The workbook names who reported as the history does: the person
	// with their position.
	if len(d.Reports) == 0 {
		t.Fatal("no reports in the week")
	}
	for _, r := range d.Reports {
		c, err := db.Commune(ctx, r.CommuneCode)
		if err != nil {
			t.Fatal(err)
		}
		want := "Cán bộ " + c.Code + " (Công an " + string(c.Type) + " " + c.Name + ")"
		if got := d.ActorNames[r.Actor]; got != want {
			t.Errorf("report by %s named %q, want %q", r.Actor, got, want)
		}
	}
	parts, err := reminders.DigestMessages(new(digest.Renderer), cat.Printer("vi", hanoi), d)
	if err != nil {
		t.Fatal(err)
	}
	var workbook []byte
	charts := 0
	for _, p := range parts {
		switch {
		case p.Message.Photo != nil:
			charts++
			img, err := png.Decode(bytes.NewReader(p.Message.Photo.Data))
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 200 {
				t.Errorf("%s: chart of %v is too small", p.Name, b)
			}
			if n := len([]rune(p.Message.Text)); n > reminders.MaxCaptionLen {
				t.Errorf("%s: caption of %d characters", p.Name, n)
			}
			if !strings.HasPrefix(p.Message.Text, chiefTitle) {
				t.Errorf("chart of %q, want the milestone due soonest, %q", p.Message.Text, chiefTitle)
			}
		case p.Message.Document != nil:
			workbook = p.Message.Document.Data
		}
	}
	if charts != 1 {
		t.Errorf("%d charts, want 1", charts)
	}

	f, err := excelize.OpenReader(bytes.NewReader(workbook))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	for i, m := range d.Milestones {
		want, err := db.Progress(ctx, m.Progress.Milestone.ID, scope)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(sheets[i])
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, row := range rows {
			if len(row) >= 2 && row[0] == "Cộng" {
				found = true
				ok := len(row) >= 3 && row[1] == strconv.Itoa(want.Total) && row[2] == strconv.Itoa(want.Done)
				if m.Progress.Milestone.Kind == store.KindDistrictReport {
					ok = row[1] == fmt.Sprintf("Đã nộp: %d/%d", want.Done, want.Total)
				}
				if !ok {
					t.Errorf("%s: totals row %q, store says %d/%d", sheets[i], row, want.Done, want.Total)
				}
			}
		}
		if !found {
			t.Errorf("%s: no totals row", sheets[i])
		}
	}
	posts, err := db.Posts(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	rosterRows, err := f.GetRows(sheets[len(d.Milestones)])
	if err != nil {
		t.Fatal(err)
	}
	if len(rosterRows) < len(posts) {
		t.Errorf("roster sheet has %d rows for %d posts", len(rosterRows), len(posts))
	}
}
