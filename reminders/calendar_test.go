package reminders

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	c, err := DefaultCalendar()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// day returns midnight of a date written the Vietnamese way, dd/mm/yyyy,
// in Asia/Ho_Chi_Minh.
func day(tb testing.TB, s string) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := time.ParseInLocation("02/01/2006", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// clock returns a local time written "dd/mm/yyyy hh:mm".
func clock(tb testing.TB, s string) time.Time {
	tb.Helper()
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := time.ParseInLocation("02/01/2006 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestLunarToSolar(t *testing.T) {
	tests := []struct {
		name             string
		day, month, year int
		want             string
	}{
		{"Tết 1985, a month before China's", 1, 1, 1985, "21/01/1985"},
		{"Tết 2007, a day before China's", 1, 1, 2007, "17/02/2007"},
		{"Tết 2019", 1, 1, 2019, "05/02/2019"},
		{"Tết 2020", 1, 1, 2020, "25/01/2020"},
		{"Giỗ Tổ 2020", 10, 3, 2020, "02/04/2020"},
		{"Tết 2021", 1, 1, 2021, "12/02/2021"},
		{"Tết 2022", 1, 1, 2022, "01/02/2022"},
		{"Tết 2023", 1, 1, 2023, "22/01/2023"},
		{"Giỗ Tổ 2023, after a leap 2nd month", 10, 3, 2023, "29/04/2023"},
		{"Tết 2024", 1, 1, 2024, "10/02/2024"},
		{"Tết 2025", 1, 1, 2025, "29/01/2025"},
		{"Tết 2026", 1, 1, 2026, "17/02/2026"},
		{"Tết 2027", 1, 1, 2027, "06/02/2027"},
		{"Tết 2028", 1, 1, 2028, "26/01/2028"},
		{"Tết 2029", 1, 1, 2029, "13/02/2029"},
		// The new moon is at 23:07 in Hà Nội, 00:07 in Beijing: China
		// has Tết on 03/02/2030.
		{"Tết 2030, a day before China's", 1, 1, 2030, "02/02/2030"},
		{"Trung thu 2020", 15, 8, 2020, "01/10/2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y, m, d := lunarToSolar(tt.day, tt.month, tt.year)
			if got := (date{y, m, d}).midnight(time.UTC).Format("02/01/2006"); got != tt.want {
				t.Errorf("lunarToSolar(%d, %d, %d) = %s, want %s", tt.day, tt.month, tt.year, got, tt.want)
			}
		})
	}
}

// The table saves nothing but a computation; it must agree with it.
func TestLunarTableMatchesComputation(t *testing.T) {
	for y, want := range lunarDays {
		ty, tm, td := lunarToSolar(1, 1, y)
		hy, hm, hd := lunarToSolar(10, 3, y)
		if got := (date{ty, tm, td}); got != want.tet {
			t.Errorf("Tết %d: table %v, computed %v", y, want.tet, got)
		}
		if got := (date{hy, hm, hd}); got != want.hungKings {
			t.Errorf("Giỗ Tổ %d: table %v, computed %v", y, want.hungKings, got)
		}
	}
}

// The weekdays off and working Saturdays of the years the government's
// decisions are known for, as they were announced.
func TestDefaultCalendarKnownYears(t *testing.T) {
	tests := []struct {
		year    int
		off     []string
		working []string // Saturdays and Sundays worked
	}{
		{2020, []string{"01/01", "23/01", "24/01", "27/01", "28/01", "29/01", "02/04", "30/04", "01/05", "02/09"}, nil},
		{2021, []string{"01/01", "10/02", "11/02", "12/02", "15/02", "16/02", "21/04", "30/04", "03/05", "02/09", "03/09"}, nil},
		{2022, []string{"03/01", "31/01", "01/02", "02/02", "03/02", "04/02", "11/04", "02/05", "03/05", "01/09", "02/09"}, nil},
		{2023, []string{"02/01", "20/01", "23/01", "24/01", "25/01", "26/01", "01/05", "02/05", "03/05", "01/09", "04/09"}, nil},
		{2024, []string{"01/01", "08/02", "09/02", "12/02", "13/02", "14/02", "18/04", "29/04", "30/04", "01/05", "02/09", "03/09"}, []string{"04/05"}},
		{2025, []string{"01/01", "27/01", "28/01", "29/01", "30/01", "31/01", "07/04", "30/04", "01/05", "02/05", "01/09", "02/09"}, []string{"26/04"}},
	}
	c := mustCalendar(t)
	for _, tt := range tests {
		t.Run(time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			var off, working []string
			for d := day(t, "01/01/"+itoa(tt.year)); d.Year() == tt.year; d = d.AddDate(0, 0, 1) {
				weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
				switch w := c.IsWorkingDay(d); {
				case weekend && w:
					working = append(working, d.Format("02/01"))
				case !weekend && !w:
					off = append(off, d.Format("02/01"))
				}
			}
			if !slices.Equal(off, tt.off) {
				t.Errorf("weekdays off\n got %v\nwant %v", off, tt.off)
			}
			if !slices.Equal(working, tt.working) {
				t.Errorf("weekend days worked: got %v, want %v", working, tt.working)
			}
		})
	}
}

func itoa(n int) string { return time.Date(n, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }

func TestHoliday(t *testing.T) {
	c := mustCalendar(t)
	tests := []struct {
		day  string
		want string // "" for no holiday
	}{
		{"02/04/2020", HolidayHungKings},
		{"25/01/2020", HolidayTet},
		{"03/05/2021", HolidayCompensatory},
		{"03/09/2021", HolidayNational},
		{"29/04/2024", HolidaySwap},
		{"31/03/2020", ""},
		{"01/03/2020", ""}, // a Sunday: a weekend, not a holiday
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			got, ok := c.Holiday(day(t, tt.day))
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Holiday(%s) = %q, %v; want %q", tt.day, got, ok, tt.want)
			}
		})
	}
}

func TestNextWorkingDay(t *testing.T) {
	c := mustCalendar(t)
	tests := []struct {
		name, from, want string
	}{
		{"working day is itself", "31/03/2020", "31/03/2020"},
		{"Sunday", "01/03/2020", "02/03/2020"},
		{"Giỗ Tổ 2020, a Thursday", "02/04/2020", "03/04/2020"},
		{"Tết 2020", "23/01/2020", "30/01/2020"},
		{"Tết 2021 eve", "11/02/2021", "17/02/2021"},
		{"30/04 and 01/05 2023 on a weekend", "29/04/2023", "04/05/2023"},
		// Tết 2027 is not decided yet: eve Friday 05/02, mùng 1 to 4
		// Saturday to Tuesday, the weekend paid back on Wednesday and
		// Thursday.
		{"Tết 2027 by the rule", "05/02/2027", "12/02/2027"},
		{"02/09/2029, a Sunday", "01/09/2029", "05/09/2029"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.NextWorkingDay(day(t, tt.from).Add(15 * time.Hour))
			if want := day(t, tt.want); !got.Equal(want) {
				t.Errorf("NextWorkingDay(%s) = %s, want %s", tt.from, got.Format("02/01/2006 15:04"), tt.want)
			}
		})
	}
}

func TestNextSendTime(t *testing.T) {
	c := mustCalendar(t)
	tests := []struct {
		name, at, want string
	}{
		{"within hours", "31/03/2020 09:15", "31/03/2020 09:15"},
		{"at opening", "31/03/2020 07:00", "31/03/2020 07:00"},
		{"before opening", "31/03/2020 05:30", "31/03/2020 07:00"},
		{"at closing", "31/03/2020 20:00", "01/04/2020 07:00"},
		{"evening before Giỗ Tổ", "01/04/2020 21:00", "03/04/2020 07:00"},
		{"Friday night", "27/03/2020 23:59", "30/03/2020 07:00"},
		{"during Tết", "25/01/2020 10:00", "30/01/2020 07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.NextSendTime(clock(t, tt.at))
			if want := clock(t, tt.want); !got.Equal(want) {
				t.Errorf("NextSendTime(%s) = %s, want %s", tt.at, got.In(c.Location()).Format("02/01/2006 15:04"), tt.want)
			}
		})
	}
	t.Run("any zone", func(t *testing.T) {
		// 23:30 UTC on Monday 30/03/2020 is 06:30 on Tuesday in Hà Nội.
		got := c.NextSendTime(time.Date(2020, 3, 30, 23, 30, 0, 0, time.UTC))
		if want := clock(t, "31/03/2020 07:00"); !got.Equal(want) {
			t.Errorf("got %s, want %s", got, want)
		}
	})
}

func TestParseHolidays(t *testing.T) {
	const file = `# Tết 2031, should it be decided so
2031-01-20..2031-01-28 tet
work 2031-02-01 make_up

2031-11-24 van_hoa
work 2020-04-02
`
	hs, err := ParseHolidays(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 12 {
		t.Fatalf("got %d days, want 12: %+v", len(hs), hs)
	}
	c := mustCalendar(t)
	c.Add(hs...)
	tests := []struct {
		day     string
		working bool
	}{
		{"17/01/2031", true},
		{"20/01/2031", false},
		{"28/01/2031", false},
		{"29/01/2031", true},
		{"01/02/2031", true}, // a Saturday made a working day
		{"24/11/2031", false},
		{"02/04/2020", true}, // Giỗ Tổ taken back
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			if got := c.IsWorkingDay(day(t, tt.day)); got != tt.working {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.working)
			}
		})
	}
	if name, _ := c.Holiday(day(t, "24/11/2031")); name != "van_hoa" {
		t.Errorf("name of 24/11/2031 = %q, want van_hoa", name)
	}
}

func TestParseHolidaysErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"bad date", "2031-13-01 x\n", `line 1: bad date "2031-13-01"`},
		{"bad range end", "# c\n2031-01-01..2031-02-30\n", `line 2: bad date "2031-02-30"`},
		{"backwards range", "2031-01-05..2031-01-01 tet\n", `line 1: range "2031-01-05..2031-01-01" ends before it starts`},
		{"Vietnamese date", "30/04/2031\n", `line 1: bad date "30/04/2031"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHolidays(strings.NewReader(tt.file))
			var he *HolidaysError
			if !errors.As(err, &he) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a *HolidaysError containing %q", err, tt.want)
			}
		})
	}
}

func TestParseTimeOfDay(t *testing.T) {
	got, err := ParseTimeOfDay("07:30")
	if err != nil || got != (TimeOfDay{7, 30}) || got.String() != "07:30" {
		t.Errorf("ParseTimeOfDay(07:30) = %v, %v", got, err)
	}
	if _, err := ParseTimeOfDay("7h30"); err == nil {
		t.Error("ParseTimeOfDay(7h30): no error")
	}
}
