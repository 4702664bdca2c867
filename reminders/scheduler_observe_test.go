package reminders_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

func TestSchedulerOnRun(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	s := newScheduler(t, db, nil)
	loc := s.Calendar.Location()
	start := time.Date(2020, 3, 2, 12, 0, 0, 0, loc)
	s.Leases = state.NewMemory(func() time.Time { return start })
	var got []string
	s.OnRun = func(job, result string) {
		if job == reminders.JobReminders {
			got = append(got, result)
		}
	}
	for _, step := range []struct {
		now     time.Time
		catchUp time.Duration
	}{
		{start, 0}, // first run: only recorded
		{time.Date(2020, 3, 3, 7, 30, 1, 0, loc), 0},             // on time
		{time.Date(2020, 3, 3, 9, 0, 0, 0, loc), 0},              // nothing due
		{time.Date(2020, 3, 5, 10, 0, 0, 0, loc), 0},             // down over two firings: caught up
		{time.Date(2020, 3, 6, 10, 0, 0, 0, loc), 2 * time.Hour}, // due at 07:30, cut-off at 08:00
		{time.Date(2020, 3, 7, 7, 30, 0, 0, loc), 2 * time.Hour}, // back on time
	} {
		s.CatchUp = step.catchUp
		if err := s.Tick(ctx, step.now); err != nil {
			t.Fatalf("Tick(%v): %v", step.now, err)
		}
	}
	if want := []string{"ok", "caught_up", "skipped", "ok"}; !slices.Equal(got, want) {
		t.Errorf("OnRun told %q, want %q", got, want)
	}
}
