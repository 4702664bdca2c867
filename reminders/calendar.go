// Package reminders decides who must be reminded of which milestone and
// when, and delivers scheduled messages from the outbox at the pace
// Telegram allows. Its core is pure: every function takes the time it
// needs, and I/O goes through small interfaces that cmd wires.
package reminders

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	_ "time/tzdata" // the zone must load on images without zone files
)

// Zone is the time zone of every schedule.
const Zone = "Asia/Ho_Chi_Minh"

// Names of the built-in holidays, as Calendar.Holiday reports them;
// locales turn them into words.
const (
	HolidayNewYear       = "new_year"      // Tết Dương lịch, 01/01
	HolidayTet           = "tet"           // Tết Nguyên Đán
	HolidayHungKings     = "hung_kings"    // Giỗ Tổ Hùng Vương, 10/3 lunar
	HolidayReunification = "reunification" // 30/04
	HolidayLabour        = "labour"        // 01/05
	HolidayNational      = "national"      // Quốc khánh, 02/09 and from 2021 a day next to it
	HolidayCompensatory  = "compensatory"  // nghỉ bù: a holiday fell on a weekend
	HolidaySwap          = "swap"          // hoán đổi: a working day moved to a Saturday
	HolidayMakeUp        = "make_up"       // làm bù: the Saturday that working day moved to
)

// The years DefaultCalendar computes holidays for; outside them only
// weekends and added dates count.
const (
	firstCalendarYear = 2000
	lastCalendarYear  = 2060
)

// Calendar knows the working days of Vietnam's public administration:
// Monday to Friday except public holidays, plus the Saturdays the
// government moves a working day to. It is not safe to Add to a Calendar
// while other goroutines use it; every other method is.
type Calendar struct {
	// Hours is when messages may go out on a working day.
	Hours Window

	loc *time.Location
	off map[date]string // days off, by holiday name; weekends are off anyway
	on  map[date]bool   // weekend days that are working days
}

// TimeOfDay is a wall-clock time in the calendar's zone.
type TimeOfDay struct {
	Hour, Minute int
}

// ParseTimeOfDay reads "HH:MM".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return TimeOfDay{}, fmt.Errorf("reminders: time of day %q: want HH:MM", s)
	}
	return TimeOfDay{Hour: t.Hour(), Minute: t.Minute()}, nil
}

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

func (t TimeOfDay) minutes() int { return t.Hour*60 + t.Minute }

// Window is the part of a working day when messages may go out:
// from Open (inclusive) to Close (exclusive).
type Window struct {
	Open, Close TimeOfDay
}

// DefaultCalendar returns Vietnam's calendar for 2000 to 2060 (see
// holidays.go for what it holds and where the dates come from), sending
// between 07:00 and 20:00.
func DefaultCalendar() (*Calendar, error) {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		return nil, fmt.Errorf("reminders: load zone: %w", err)
	}
	c := &Calendar{
		Hours: Window{Open: TimeOfDay{Hour: 7}, Close: TimeOfDay{Hour: 20}},
		loc:   loc,
		off:   make(map[date]string),
		on:    make(map[date]bool),
	}
	for y := firstCalendarYear; y <= lastCalendarYear; y++ {
		c.Add(yearHolidays(y, loc)...)
	}
	return c, nil
}

// Location returns the calendar's zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holiday is a day off, or with Working a day that is a working day
// although it falls on a weekend or a holiday.
type Holiday struct {
	Date    time.Time // the day, in any zone: its date in that zone counts
	Name    string
	Working bool
}

// Add adds days off and working days, replacing what the calendar said
// about those dates. A day off added this way brings no compensatory day:
// add that too.
func (c *Calendar) Add(hs ...Holiday) {
	for _, h := range hs {
		d := dateOf(h.Date)
		if h.Working {
			delete(c.off, d)
			c.on[d] = true
		} else {
			delete(c.on, d)
			c.off[d] = h.Name
		}
	}
}

// Holiday returns the name of the holiday t falls on, if any.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	name, ok := c.off[dateOf(t.In(c.loc))]
	return name, ok
}

// IsWorkingDay reports whether t falls on a working day in the calendar's
// zone.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	d := dateOf(t.In(c.loc))
	if c.on[d] {
		return true
	}
	if _, ok := c.off[d]; ok {
		return false
	}
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// NextWorkingDay returns midnight of the first working day on or after
// t's day: t's own day when that is a working day.
func (c *Calendar) NextWorkingDay(t time.Time) time.Time {
	d := dateOf(t.In(c.loc)).midnight(c.loc)
	for !c.IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// PrevWorkingDay returns midnight of the last working day on or before
// t's day: t's own day when that is a working day.
func (c *Calendar) PrevWorkingDay(t time.Time) time.Time {
	d := dateOf(t.In(c.loc)).midnight(c.loc)
	for !c.IsWorkingDay(d) {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// NextSendTime returns t itself when t is within Hours of a working day,
// the day's opening time when t is earlier that day, and otherwise the
// opening time of the next working day.
func (c *Calendar) NextSendTime(t time.Time) time.Time {
	t = t.In(c.loc)
	if c.IsWorkingDay(t) {
		m := t.Hour()*60 + t.Minute()
		if m < c.Hours.Open.minutes() {
			return c.at(t, c.Hours.Open)
		}
		if m < c.Hours.Close.minutes() {
			return t
		}
	}
	next := dateOf(t).midnight(c.loc).AddDate(0, 0, 1)
	return c.at(c.NextWorkingDay(next), c.Hours.Open)
}

// at returns the time tod on t's day in the calendar's zone.
func (c *Calendar) at(t time.Time, tod TimeOfDay) time.Time {
	t = t.In(c.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), tod.Hour, tod.Minute, 0, 0, c.loc)
}

// ParseHolidays reads a file of dates to add to a calendar, one per line:
//
//	# Tết 2031, as the government decided it
//	2031-01-21..2031-01-27 tet
//	2031-04-30 reunification
//	work 2031-05-03 make_up
//
// A line is a date (YYYY-MM-DD) or an inclusive range (FIRST..LAST) and
// an optional name; those days are days off. A line starting with "work"
// makes its days working days instead, even on a weekend (làm bù) or a
// built-in holiday (to take one back). Blank lines and lines starting
// with # are ignored. Dates are in the calendar's zone.
// A line it cannot read is a *HolidaysError.
func ParseHolidays(r io.Reader) ([]Holiday, error) {
	var out []Holiday
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		working := false
		if rest, ok := strings.CutPrefix(line, "work "); ok {
			working = true
			line = strings.TrimSpace(rest)
		}
		span, name, _ := strings.Cut(line, " ")
		first, last, isRange := strings.Cut(span, "..")
		from, err := time.Parse(time.DateOnly, first)
		if err != nil {
			return nil, &HolidaysError{Line: n, Value: first}
		}
		to := from
		if isRange {
			if to, err = time.Parse(time.DateOnly, last); err != nil {
				return nil, &HolidaysError{Line: n, Value: last}
			}
			if to.Before(from) {
				return nil, &HolidaysError{Line: n, Value: span}
			}
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			out = append(out, Holiday{Date: d, Name: strings.TrimSpace(name), Working: working})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reminders: read holidays: %w", err)
	}
	return out, nil
}

// HolidaysError is a line of a holidays file that is not a day off: a
// date that is not YYYY-MM-DD (Value), or a range that ends before it
// starts (Value is the range).
type HolidaysError struct {
	Line  int
	Value string
}

func (e *HolidaysError) Error() string {
	if strings.Contains(e.Value, "..") {
		return fmt.Sprintf("reminders: holidays line %d: range %q ends before it starts", e.Line, e.Value)
	}
	return fmt.Sprintf("reminders: holidays line %d: bad date %q", e.Line, e.Value)
}

// date is a day of the Gregorian calendar, without a zone.
type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date { return date{t.Year(), t.Month(), t.Day()} }

func (d date) midnight(loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc)
}

func (d date) add(days int) date { return dateOf(d.midnight(time.UTC).AddDate(0, 0, days)) }

func (d date) weekday() time.Weekday { return d.midnight(time.UTC).Weekday() }

func (d date) weekend() bool { wd := d.weekday(); return wd == time.Saturday || wd == time.Sunday }

func (d date) before(e date) bool {
	return d.midnight(time.UTC).Before(e.midnight(time.UTC))
}

func sortDates(ds []date) {
	sort.Slice(ds, func(i, j int) bool { return ds[i].before(ds[j]) })
}
