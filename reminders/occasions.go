package reminders

import (
	"fmt"
	"sort"
	"time"

	"github.com/caxbot/caxbot/store"
)

// OccasionKind says where an occasion stands against the deadline.
type OccasionKind string

const (
	OccasionBefore OccasionKind = "before"
	OccasionOnDay  OccasionKind = "on_day"
	OccasionAfter  OccasionKind = "after"
)

// defaultBeforeDays applies to a milestone whose Reminders.BeforeDays is
// nil; an empty, non-nil list means no reminder before the deadline.
var defaultBeforeDays = []int{30, 14, 7, 3, 1}

// Occasion is one time a milestone's reminders go out.
type Occasion struct {
	MilestoneID string
	Kind        OccasionKind
	// Days is how many days before (OccasionBefore) or after
	// (OccasionAfter) the deadline the rule names; 0 for OccasionOnDay.
	Days int
	// Nominal is midnight of the day the rule names.
	Nominal time.Time
	// Step is the day of the roadmap step the occasion reminds of; zero
	// for the milestone's own deadline.
	Step time.Time
	// Due is when the occasion goes out: the send time on Nominal, or,
	// when Nominal is not a working day, on the last working day before
	// it (up to the deadline: a reminder that the deadline is coming is
	// no use after it) or the first working day after it (after the
	// deadline).
	Due time.Time
}

// Key names the occasion uniquely and stably, such as
// "remind:chief-q1-2020:before:7", or for a step of a roadmap
// "remind:deputies-2024@2021-12-31:before:30"; the outbox appends the
// recipient.
func (o Occasion) Key() string {
	if !o.Step.IsZero() {
		return fmt.Sprintf("remind:%s@%s:%s:%d", o.MilestoneID, o.Step.Format(time.DateOnly), o.Kind, o.Days)
	}
	return fmt.Sprintf("remind:%s:%s:%d", o.MilestoneID, o.Kind, o.Days)
}

// Stage returns the stage of m the occasion reminds of: a step of its
// roadmap, or the milestone itself (store.Milestone.StageAt).
func (o Occasion) Stage(m store.Milestone) store.Milestone {
	if o.Step.IsZero() {
		return m.StageAt(m.Deadline)
	}
	return m.StageAt(o.Step)
}

// Occasions returns the occasions of milestone m that are due in
// [from, to), in order, each due at sendAt on its day.
//
// The rules name days: each of Remind.BeforeDays before the deadline (by
// default 30, 14, 7, 3 and 1), the deadline itself when Remind.OnDay, and
// every Remind.AfterEvery days after it (the caller stops sending once
// nobody is behind). A day that is not a working day moves to the last
// working day before it when it is on or before the deadline, so that
// the reminders still come before the deadline and stay apart (the 3-day
// reminder on a Saturday goes on Friday, not on Monday with the 1-day
// one), and to the next working day when it is after the deadline. When
// several occasions move to the same day only one goes out: the one whose
// named day is nearest the deadline, and of two as near, the later one,
// because by then the deadline has passed or is closer. Nothing is due
// before the day the milestone starts.
//
// A milestone with a roadmap has the occasions before and on the day of
// each step as well, counted from the step's day; those after the
// deadline follow the milestone's own deadline only.
//
// An occasion's Due depends only on the calendar, so calls over adjacent
// windows return together what one call over both would.
func Occasions(m store.Milestone, from, to time.Time, cal *Calendar, sendAt TimeOfDay) []Occasion {
	if len(m.Steps) == 0 {
		return stageOccasions(m, time.Time{}, from, to, cal, sendAt)
	}
	var out []Occasion
	for _, stage := range m.Stages() {
		step := time.Time{}
		if m.IsStep(stage) {
			step = stage.Deadline
		}
		out = append(out, stageOccasions(stage, step, from, to, cal, sendAt)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// stageOccasions are the occasions of one stage: a milestone's own, or a
// step's (step not zero), which has none after its day.
func stageOccasions(m store.Milestone, step, from, to time.Time, cal *Calendar, sendAt TimeOfDay) []Occasion {
	loc := cal.loc
	deadline := dateOf(m.Deadline.In(loc))
	// Only a day after the last working day before from can move forward
	// into the window, and only a day before the first working day after
	// to's day can move back into it: lo and hi bound the days to look at.
	lo := dateOf(from.In(loc)).add(-1)
	for !cal.IsWorkingDay(lo.midnight(loc)) {
		lo = lo.add(-1)
	}
	lo = lo.add(1)
	hi := dateOf(to.In(loc))
	for !cal.IsWorkingDay(hi.add(1).midnight(loc)) {
		hi = hi.add(1)
	}
	var start time.Time
	if !m.Start.IsZero() {
		start = dateOf(m.Start.In(loc)).midnight(loc)
	}

	byDue := make(map[time.Time]Occasion)
	consider := func(kind OccasionKind, days int, nominal date) {
		if nominal.before(lo) || hi.before(nominal) {
			return
		}
		o := Occasion{MilestoneID: m.ID, Kind: kind, Days: days, Nominal: nominal.midnight(loc), Step: step}
		if kind == OccasionAfter {
			o.Due = cal.at(cal.NextWorkingDay(o.Nominal), sendAt)
		} else {
			o.Due = cal.at(cal.PrevWorkingDay(o.Nominal), sendAt)
		}
		if o.Due.Before(from) || !o.Due.Before(to) || o.Due.Before(start) {
			return
		}
		if prev, ok := byDue[o.Due]; ok && !nearer(o, prev) {
			return
		}
		byDue[o.Due] = o
	}

	before := m.Remind.BeforeDays
	if before == nil {
		before = defaultBeforeDays
	}
	for _, n := range before {
		if n > 0 {
			consider(OccasionBefore, n, deadline.add(-n))
		}
	}
	if m.Remind.OnDay {
		consider(OccasionOnDay, 0, deadline)
	}
	if every := m.Remind.AfterEvery; every > 0 && step.IsZero() {
		// Start at the first multiple that can reach the window.
		k := max(1, daysBetween(deadline, lo)/every)
		for ; !hi.before(deadline.add(k * every)); k++ {
			consider(OccasionAfter, k*every, deadline.add(k*every))
		}
	}

	out := make([]Occasion, 0, len(byDue))
	for _, o := range byDue {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// nearer reports whether o wins over p when both are due at once.
func nearer(o, p Occasion) bool {
	if o.Days != p.Days {
		return o.Days < p.Days
	}
	return o.Nominal.After(p.Nominal)
}

// daysBetween returns the number of days from a to b.
func daysBetween(a, b date) int {
	return int(b.midnight(time.UTC).Sub(a.midnight(time.UTC)).Hours() / 24)
}
