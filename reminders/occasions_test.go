package reminders

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// chiefQ1 is the 2020 milestone: a regular chief in every commune by the
// end of the first quarter.
func chiefQ1(tb testing.TB) store.Milestone {
	tb.Helper()
	return store.Milestone{
		ID:       "chief-q1-2020",
		PlanID:   "hb-2020",
		TitleVI:  "Trưởng Công an xã chính quy, quý I/2020",
		Kind:     store.KindPosts,
		Posts:    []store.PostKind{store.Chief},
		Target:   store.Regular,
		Start:    day(tb, "01/01/2020"),
		Deadline: day(tb, "31/03/2020"),
		Remind:   store.Reminders{OnDay: true, AfterEvery: 7, EscalateAfter: 14},
	}
}

// summary writes an occasion as "kind days nominal→due".
func summary(os []Occasion) []string {
	var out []string
	for _, o := range os {
		out = append(out, string(o.Kind)+" "+strconv.Itoa(o.Days)+" "+o.Nominal.Format("02/01")+"→"+o.Due.Format("02/01 15:04"))
	}
	return out
}

func TestOccasions(t *testing.T) {
	sendAt := TimeOfDay{Hour: 8}
	cal := mustCalendar(t)
	tests := []struct {
		name     string
		edit     func(m *store.Milestone)
		from, to string
		want     []string
	}{
		{
			name: "chief-q1-2020",
			from: "01/02/2020", to: "01/05/2020",
			want: []string{
				"before 30 01/03→28/02 08:00", // a Sunday: the Friday before
				"before 14 17/03→17/03 08:00",
				"before 7 24/03→24/03 08:00",
				// before 3 falls on Saturday 28/03 and comes on Friday
				// 27/03, apart from before 1 on Monday 30/03.
				"before 3 28/03→27/03 08:00",
				"before 1 30/03→30/03 08:00",
				"on_day 0 31/03→31/03 08:00",
				"after 7 07/04→07/04 08:00",
				"after 14 14/04→14/04 08:00",
				"after 21 21/04→21/04 08:00",
				"after 28 28/04→28/04 08:00",
			},
		},
		{
			name: "Giỗ Tổ moves after 2 to Friday, Saturday's after 4 wins Monday",
			edit: func(m *store.Milestone) { m.Remind.AfterEvery = 2 },
			from: "01/04/2020", to: "09/04/2020",
			want: []string{
				"after 2 02/04→03/04 08:00",
				"after 4 04/04→06/04 08:00",
				"after 8 08/04→08/04 08:00",
			},
		},
		{
			name: "Tết 2020",
			edit: func(m *store.Milestone) {
				m.Start = day(t, "15/12/2019")
				m.Deadline = day(t, "31/01/2020")
				m.Remind.AfterEvery = 0
			},
			from: "01/12/2019", to: "01/03/2020",
			want: []string{
				"before 30 01/01→31/12 08:00", // Tết Dương lịch: the day before
				"before 14 17/01→17/01 08:00",
				// 24/01 (before 7) and 28/01 (before 3) are Tết days off
				// and move back to 22/01, the last working day before
				// Tết, where before 3, the nearer, goes out.
				"before 3 28/01→22/01 08:00",
				"before 1 30/01→30/01 08:00",
				"on_day 0 31/01→31/01 08:00",
			},
		},
		{
			name: "nothing before the start",
			edit: func(m *store.Milestone) { m.Start = day(t, "10/03/2020") },
			from: "01/02/2020", to: "25/03/2020",
			want: []string{
				"before 14 17/03→17/03 08:00",
				"before 7 24/03→24/03 08:00",
			},
		},
		{
			name: "a Sunday deadline: its day's reminder comes on Friday, winning over Saturday's before 1",
			edit: func(m *store.Milestone) {
				m.Deadline = day(t, "29/03/2020")
				m.Remind.AfterEvery = 1
				m.Remind.BeforeDays = []int{1}
			},
			from: "27/03/2020", to: "01/04/2020",
			want: []string{"on_day 0 29/03→27/03 08:00", "after 1 30/03→30/03 08:00", "after 2 31/03→31/03 08:00"},
		},
		{
			name: "the days around a Sunday deadline: before on Friday, after on Monday",
			edit: func(m *store.Milestone) {
				m.Deadline = day(t, "29/03/2020")
				m.Remind.OnDay = false
				m.Remind.AfterEvery = 1
				m.Remind.BeforeDays = []int{1}
			},
			from: "27/03/2020", to: "31/03/2020",
			want: []string{"before 1 28/03→27/03 08:00", "after 1 30/03→30/03 08:00"},
		},
		{
			name: "a window of Friday alone holds Saturday's reminder",
			from: "27/03/2020", to: "28/03/2020",
			want: []string{"before 3 28/03→27/03 08:00"},
		},
		{
			name: "no reminders before",
			edit: func(m *store.Milestone) { m.Remind.BeforeDays = []int{} },
			from: "01/03/2020", to: "01/04/2020",
			want: []string{"on_day 0 31/03→31/03 08:00"},
		},
		{
			name: "window starts on the send time",
			from: "31/03/2020 08:00", to: "31/03/2020 08:01",
			want: []string{"on_day 0 31/03→31/03 08:00"},
		},
		{
			name: "window ends on the send time",
			from: "31/03/2020 07:00", to: "31/03/2020 08:00",
			want: nil,
		},
		{
			name: "far after the deadline",
			edit: func(m *store.Milestone) { m.Remind.AfterEvery = 30 },
			from: "01/01/2021", to: "01/03/2021",
			want: []string{
				"after 300 25/01→25/01 08:00",
				"after 330 24/02→24/02 08:00",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := chiefQ1(t)
			if tt.edit != nil {
				tt.edit(&m)
			}
			got := summary(Occasions(m, when(t, tt.from), when(t, tt.to), cal, sendAt))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Occasions\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// when reads "dd/mm/yyyy" or "dd/mm/yyyy hh:mm".
func when(tb testing.TB, s string) time.Time {
	tb.Helper()
	if len(s) == len("02/01/2006") {
		return day(tb, s)
	}
	return clock(tb, s)
}

// A scheduler asks for one window after another; the occasions must not
// depend on where the windows are cut.
func TestOccasionsWindowsAgree(t *testing.T) {
	cal := mustCalendar(t)
	sendAt := TimeOfDay{Hour: 8, Minute: 30}
	m := chiefQ1(t)
	m.Start = day(t, "01/12/2019")
	m.Deadline = day(t, "27/01/2020") // inside Tết
	m.Remind.AfterEvery = 3
	m.Remind.BeforeDays = []int{45, 30, 20, 10, 5, 4, 3, 2, 1}
	from, to := day(t, "01/11/2019"), day(t, "01/04/2020")
	whole := Occasions(m, from, to, cal, sendAt)
	if len(whole) < 20 {
		t.Fatalf("only %d occasions: %q", len(whole), summary(whole))
	}
	for _, step := range []time.Duration{time.Hour, 24 * time.Hour, 5 * 24 * time.Hour} {
		var pieces []Occasion
		for t0 := from; t0.Before(to); t0 = t0.Add(step) {
			end := t0.Add(step)
			if end.After(to) {
				end = to
			}
			pieces = append(pieces, Occasions(m, t0, end, cal, sendAt)...)
		}
		if got, want := summary(pieces), summary(whole); !slices.Equal(got, want) {
			t.Errorf("windows of %v\n got %q\nwant %q", step, got, want)
		}
	}
	seen := make(map[time.Time]bool)
	for _, o := range whole {
		if seen[o.Due] {
			t.Errorf("two occasions due %v", o.Due)
		}
		seen[o.Due] = true
		if !cal.IsWorkingDay(o.Due) {
			t.Errorf("%s due on a day off", o.Key())
		}
	}
}

func TestOccasionKey(t *testing.T) {
	o := Occasion{MilestoneID: "chief-q1-2020", Kind: OccasionBefore, Days: 7}
	if got, want := o.Key(), "remind:chief-q1-2020:before:7"; got != want {
		t.Errorf("Key() = %q, want %q", got, want)
	}
}
