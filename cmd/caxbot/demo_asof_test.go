package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// TestDemoAsOf asks the demo's store how things stood on the days of its
// story and compares with what was recorded on those days: every Monday's
// digest saved each milestone's figures per district as they were then
// (the stage measured then: communes done, or posts for a roadmap's
// share), and the transcript names the chief who took office in the first
// commune's report. The store as of each moment, computed from the
// reports afterwards, must say the same.
func TestDemoAsOf(t *testing.T) {
	dir, out := sharedDemo(t)
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "caxbot.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	weeks := 0
	for week := "9999-12-31"; ; {
		prev, snaps, err := db.PreviousSnapshots(ctx, week)
		if err != nil {
			t.Fatal(err)
		}
		if prev == "" {
			break
		}
		week = prev
		weeks++
		byMilestone := make(map[string][]store.Snapshot)
		for _, s := range snaps {
			byMilestone[s.MilestoneID] = append(byMilestone[s.MilestoneID], s)
		}
		for id, ss := range byMilestone {
			at := ss[0].TakenAt.Add(time.Microsecond) // the digest saw what was recorded up to its moment
			pr, err := db.AsOf(at).StageProgress(ctx, id, store.Scope{}, ss[0].TakenAt)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				dp, ok := pr.District(s.DistrictCode)
				value, of, _ := dp.Measure(pr.Milestone.Goal)
				if !ok || value != s.Done || of != s.Total {
					t.Errorf("week %s, %s, district %s: as of then %d/%d, the digest said %d/%d", week, id, s.DistrictCode, value, of, s.Done, s.Total)
				}
			}
		}
	}
	if weeks < 8 {
		t.Errorf("%d weeks of digests, want one per Monday of March and April 2020", weeks)
	}

	// The first chief's report, on the first morning (09:00): the
	// semi-professional before it, Bùi Văn An after.
	i := strings.Index(out, "đã được thay thế bằng Công an chính quy Bùi Văn An")
	if i < 0 {
		t.Fatal("the transcript lacks the first chief's replacement")
	}
	reports, err := db.ReportsBetween(ctx, store.Scope{}, time.Time{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var rep *store.Report
	for i, r := range reports {
		if r.NewHolder == "Bùi Văn An" && r.Kind == store.Chief {
			rep = &reports[i]
		}
	}
	if rep == nil {
		t.Fatal("no report of Bùi Văn An")
	}
	loc := db.Location()
	for _, tt := range []struct {
		at     time.Time
		status store.Status
		holder string
	}{
		{time.Date(2020, 3, 1, 8, 59, 0, 0, loc), store.Semi, rep.OldHolder},
		{time.Date(2020, 3, 1, 23, 0, 0, 0, loc), store.Regular, "Bùi Văn An"},
		{time.Date(2020, 4, 30, 23, 0, 0, 0, loc), store.Regular, "Bùi Văn An"},
	} {
		posts, err := db.AsOf(tt.at).CommunePosts(ctx, rep.CommuneCode)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) == 0 || posts[0].Kind != store.Chief || posts[0].Status != tt.status || posts[0].Holder != tt.holder {
			t.Errorf("chief of %s as of %s: %+v, want %s (%s)", rep.CommuneCode, tt.at.Format(time.DateTime), posts[:min(len(posts), 1)], tt.status, tt.holder)
		}
	}
	if person, err := db.ReplacedPerson(ctx, rep.ID); err != nil || person.Arrangement != store.Transferred {
		t.Errorf("the replaced chief's arrangement: %+v, %v", person, err)
	}
	// Before the roster was imported (the day before the window, 07:00),
	// the store knew no post.
	if posts, err := db.AsOf(time.Date(2020, 2, 29, 6, 0, 0, 0, loc)).Posts(ctx, store.Scope{}); err != nil || len(posts) != 0 {
		t.Errorf("posts before the import: %d, %v", len(posts), err)
	}
}
