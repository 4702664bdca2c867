package store

import (
	"context"
	"time"
)

// The forecast's window: the pace of the last ForecastWeeks weeks, or of
// the whole record when it is shorter, but never of less than
// MinForecastDays.
const (
	ForecastWeeks   = 8
	MinForecastDays = 14
)

// ForecastState says what a forecast found.
type ForecastState string

const (
	// ForecastMet: the goal is reached already.
	ForecastMet ForecastState = "met"
	// ForecastExpected: at the window's pace the goal is reached on
	// Forecast.Expected.
	ForecastExpected ForecastState = "expected"
	// ForecastStalled: nothing moved towards the goal in the window.
	ForecastStalled ForecastState = "stalled"
	// ForecastTooEarly: the record is shorter than MinForecastDays.
	ForecastTooEarly ForecastState = "too_early"
)

// Forecast is when a district, or a whole scope, reaches a milestone's goal
// if it goes on at the pace of the last weeks.
//
// The method: the goal's measure (Progress.Measure: communes done, or posts
// at the target status for a share goal) is taken at the start of the
// window and at its end, from the reports (DB.AsOf); the pace is its
// change over the window's days, and the days still needed are what the
// goal lacks over that pace, rounded up. A window whose measure did not
// grow is "stalled"; it never forecasts from a fall.
type Forecast struct {
	State  ForecastState
	Value  int // the measure at the end of the window
	Need   int // the least measure that meets the goal
	Gained int // the measure's change over the window
	// From and To bound the window; Days is its length in whole days.
	From, To time.Time
	Days     int
	// Expected is the day the goal is reached at the window's pace, in
	// To's location (State ForecastExpected).
	Expected time.Time
}

// Weeks is the window in whole weeks, as a message says it ("8 tuần").
func (f Forecast) Weeks() int { return f.Days / 7 }

// Late reports whether the forecast day is after the deadline's day.
func (f Forecast) Late(deadline time.Time) bool {
	return f.State == ForecastExpected && f.Expected.After(deadline)
}

// ForecastOf forecasts a measure that was before at from and is value at
// to, against need.
func ForecastOf(value, before, need int, from, to time.Time) Forecast {
	f := Forecast{Value: value, Need: need, Gained: value - before, From: from, To: to,
		Days: int(to.Sub(from).Hours() / 24)}
	switch {
	case value >= need:
		f.State = ForecastMet
	case f.Days < MinForecastDays:
		f.State = ForecastTooEarly
	case f.Gained <= 0:
		f.State = ForecastStalled
	default:
		f.State = ForecastExpected
		days := ((need-value)*f.Days + f.Gained - 1) / f.Gained
		y, m, d := to.Date()
		f.Expected = time.Date(y, m, d+days, 0, 0, 0, 0, to.Location())
	}
	return f
}

// ProgressForecast is a milestone's forecast for a scope and for each of
// its districts, by code.
type ProgressForecast struct {
	Scope     Forecast
	Districts map[string]Forecast
}

// ForecastProgress forecasts from a milestone's progress at the window's
// start (before) and end (now), evaluated over the same scope.
func ForecastProgress(now, before Progress, from, to time.Time) ProgressForecast {
	value, _, need := now.Measure()
	was, _, _ := before.Measure()
	out := ProgressForecast{Scope: ForecastOf(value, was, need, from, to), Districts: make(map[string]Forecast, len(now.Districts))}
	g := now.Milestone.Goal
	for _, d := range now.Districts {
		value, _, need := d.Measure(g)
		was := 0
		if b, ok := before.District(d.District.Code); ok {
			was, _, _ = b.Measure(g)
		}
		out.Districts[d.District.Code] = ForecastOf(value, was, need, from, to)
	}
	return out
}

// ForecastWindow is the start of the window a forecast at `at` looks back
// over: the last ForecastWeeks weeks, starting no earlier than the
// milestone's start nor than the end of the day of the first report. The
// record starts there: what the first day brought in (a roster imported,
// a province's state entered) is where the store started knowing, not
// progress.
func ForecastWindow(m Milestone, firstReport, at time.Time) time.Time {
	from := at.AddDate(0, 0, -7*ForecastWeeks)
	if m.Start.After(from) {
		from = m.Start
	}
	if !firstReport.IsZero() {
		y, mo, d := firstReport.In(m.Start.Location()).Date()
		if known := time.Date(y, mo, d+1, 0, 0, 0, 0, m.Start.Location()); known.After(from) {
			from = known
		}
	}
	return from
}

// Forecast forecasts the stage of milestone id measured at the view's
// moment (at: AsOf's, or now for the store as it is), over the scope.
func (db *DB) Forecast(ctx context.Context, id string, s Scope, at time.Time) (ProgressForecast, error) {
	m, err := db.Milestone(ctx, id)
	if err != nil {
		return ProgressForecast{}, err
	}
	if m.Kind == KindPosts && db.asOf.IsZero() {
		var r Roster
		if r.Districts, err = db.Districts(ctx, s); err != nil {
			return ProgressForecast{}, err
		}
		if r.Communes, err = db.Communes(ctx, s); err != nil {
			return ProgressForecast{}, err
		}
		if r.Groups, err = db.Groups(ctx); err != nil {
			return ProgressForecast{}, err
		}
		return db.ForecastOver(ctx, m, s, at, r)
	}
	stage := m.StageAt(at)
	first, _, err := db.FirstReport(ctx, s)
	if err != nil {
		return ProgressForecast{}, err
	}
	from := ForecastWindow(m, first, at)
	now, err := db.evaluate(ctx, stage, s)
	if err != nil {
		return ProgressForecast{}, err
	}
	before, err := db.AsOf(from).evaluate(ctx, stage, s)
	if err != nil {
		return ProgressForecast{}, err
	}
	return ForecastProgress(now, before, from, at), nil
}

// ForecastOver is Forecast of posts milestone m over a roster the caller
// holds: r's districts, communes and groups of the scope (its counts and
// filings are not read), as a bot that keeps the administrative map in
// memory has them, and r.Unverified when the caller read it already (a
// Roster of the same scope, now). Only the first report and the posts are read, the
// posts now and at the window's start in one snapshot
// (CountStatusesSince) rather than through AsOf, which orders every
// report of the scope. A milestone about filings (of districts or
// reporting units), or a view (AsOf), is read as Forecast reads it.
func (db *DB) ForecastOver(ctx context.Context, m Milestone, s Scope, at time.Time, r Roster) (ProgressForecast, error) {
	if m.Kind != KindPosts || !db.asOf.IsZero() {
		return db.Forecast(ctx, m.ID, s, at)
	}
	stage := m.StageAt(at)
	first, _, err := db.FirstReport(ctx, s)
	if err != nil {
		return ProgressForecast{}, err
	}
	from := ForecastWindow(m, first, at)
	now, past, err := db.CountStatusesSince(ctx, s, []time.Time{from})
	if err != nil {
		return ProgressForecast{}, err
	}
	// The checks as they stand now count in the present only, as Roster
	// counts them in a view of the past; read once when r has them.
	unverified := r.Unverified
	if unverified == nil {
		if unverified, err = db.UnverifiedCounts(ctx, s); err != nil {
			return ProgressForecast{}, err
		}
	}
	units := Roster{Districts: r.Districts, Communes: r.Communes, Groups: r.Groups}
	units.Counts = now.For(stage)
	units.Counts.Unverify(stage, unverified)
	nowProgress := evaluate(stage, units, false)
	units.Counts = past[0].For(stage)
	return ForecastProgress(nowProgress, evaluate(stage, units, false), from, at), nil
}

// StageProgress evaluates, over the scope, the stage of milestone id
// measured at `at` (Milestone.StageAt): its step's goal while a step is
// ahead. Read through AsOf(at), it is the progress a reminder or digest
// of that moment measured.
func (db *DB) StageProgress(ctx context.Context, id string, s Scope, at time.Time) (Progress, error) {
	m, err := db.Milestone(ctx, id)
	if err != nil {
		return Progress{}, err
	}
	return db.evaluate(ctx, m.StageAt(at), s)
}

// evaluate is Progress for a milestone already read (a stage of one).
func (db *DB) evaluate(ctx context.Context, m Milestone, s Scope) (Progress, error) {
	r, err := db.Roster(ctx, s, m)
	if err != nil {
		return Progress{}, err
	}
	return Evaluate(m, r), nil
}
