package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// TestDemoPostsGraduates reads the demo's register scene of 15/04/2020
// back from its store: the year's graduates and the officers who can be
// transferred were proposed, the rows accepted became reports of the
// proposal's workbook, each from the province's user, each post now
// regular and held by the person accepted, who is marked posted in the
// register; and a commune given its chief so has met the chiefs'
// milestone.
func TestDemoPostsGraduates(t *testing.T) {
	dir, out := sharedDemo(t)
	accepted := regexp.MustCompile(`Công an tỉnh chấp nhận (\d+)/(\d+) đề xuất`).FindStringSubmatch(out)
	if accepted == nil {
		t.Fatalf("the demo's transcript has no acceptance of the proposal:\n%s", out)
	}
	n, _ := strconv.Atoi(accepted[1])
	proposed, _ := strconv.Atoi(accepted[2])
	if n == 0 || n > proposed || proposed > demoGraduates+demoTransfers {
		t.Fatalf("accepted %d of %d proposed, with %d people in the register", n, proposed, demoGraduates+demoTransfers)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "caxbot.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := db.Location()
	day := time.Date(2020, 4, 15, 0, 0, 0, 0, loc)
	reports, err := db.ReportsBetween(ctx, store.Scope{}, day, day.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	people, err := db.Candidates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	posted := make(map[store.PostRef]store.Candidate)
	graduates := 0
	for _, c := range people {
		if c.Status == store.CandidatePosted && c.Posted != nil {
			posted[*c.Posted] = c
			if strings.HasPrefix(c.ID, "HV-") {
				graduates++
			}
		}
	}
	if len(posted) != n || graduates == 0 {
		t.Errorf("%d people posted in the register (%d graduates), want the %d accepted, graduates among them", len(posted), graduates, n)
	}
	book := "de-xuat-2020-04-15.xlsx"
	fromProposal := 0
	for _, r := range reports {
		if !strings.HasPrefix(r.Source, book+":") {
			continue
		}
		fromProposal++
		c, ok := posted[store.PostRef{CommuneCode: r.CommuneCode, Kind: r.Kind, Slot: r.Slot}]
		if !ok || r.NewStatus != store.Regular || r.NewHolder != c.Name || r.Actor != "user:"+strconv.Itoa(demoProvinceID) {
			t.Errorf("report %+v: want the post regular, held by the person posted there, from the province's user", r)
		}
	}
	if fromProposal != n {
		t.Errorf("%d reports from %s, want %d", fromProposal, book, n)
	}
	chiefs := 0
	for ref := range posted {
		if ref.Kind != store.Chief {
			continue
		}
		chiefs++
		pr, err := db.Progress(ctx, "chief-q1-2020", store.Scope{Role: store.RoleCommune, Code: ref.CommuneCode})
		if err != nil || pr.Total != 1 || pr.Done != 1 {
			t.Errorf("chiefs' progress of %s after its chief was posted: %d/%d, %v", ref.CommuneCode, pr.Done, pr.Total, err)
		}
	}
	if chiefs == 0 {
		t.Error("no chief among the postings accepted: the officers transferred are senior enough")
	}
}
