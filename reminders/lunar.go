package reminders

import (
	"math"
	"time"
)

// The Vietnamese lunisolar calendar, after Hồ Ngọc Đức's "Âm lịch Việt Nam"
// algorithm (astronomical new moons and solar terms, Jean Meeus'
// formulas) evaluated at UTC+7: the Vietnamese calendar differs from the
// Chinese one (UTC+8) in some years, which is why it is computed here
// rather than taken from a Chinese-calendar library.

const vietnamZone = 7.0 // hours east of UTC the calendar is reckoned in

// lunarToSolar returns the Gregorian date of day/month of the lunar year
// (a month of a leap year that is not the leap month itself).
func lunarToSolar(day, month, year int) (int, time.Month, int) {
	var a11, b11 int
	if month < 11 {
		a11 = lunarMonth11(year - 1)
		b11 = lunarMonth11(year)
	} else {
		a11 = lunarMonth11(year)
		b11 = lunarMonth11(year + 1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := month - 11
	if off < 0 {
		off += 12
	}
	// A year of 13 months has a leap month somewhere after month 11: the
	// months from it on move one new moon later.
	if b11-a11 > 365 {
		if off >= leapMonthOffset(a11) {
			off++
		}
	}
	return jdToDate(newMoonDay(k+off) + day - 1)
}

// lunarMonth11 returns the Julian day number of the first day of the
// 11th lunar month of year: the month that holds the winter solstice.
func lunarMonth11(year int) int {
	off := jdFromDate(31, 12, year) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if sunLongitudeSector(nm) >= 9 { // past the winter solstice
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset returns how many months after month 11 (starting at
// a11) the leap month is: the first month without a major solar term.
func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunLongitudeSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunLongitudeSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// newMoonDay returns the Julian day number of the local day of the k-th
// new moon after 1900-01-01.
func newMoonDay(k int) int {
	return int(math.Floor(newMoon(k) + 0.5 + vietnamZone/24))
}

// sunLongitudeSector returns which of the 12 30° sectors the sun is in at
// the local midnight starting day jdn.
func sunLongitudeSector(jdn int) int {
	return int(math.Floor(sunLongitude(float64(jdn)-0.5-vietnamZone/24) / math.Pi * 6))
}

// newMoon returns the Julian date (UT) of the k-th new moon after
// 1900-01-01 (Meeus, Astronomical Algorithms).
func newMoon(k int) float64 {
	kf := float64(k)
	t := kf / 1236.85
	t2 := t * t
	t3 := t2 * t
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3    // sun's mean anomaly
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3 // moon's mean anomaly
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3    // moon's argument of latitude
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 -= 0.0004 * math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltaT float64
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltaT
}

// sunLongitude returns the sun's apparent longitude in radians, in
// [0, 2π), at Julian date jdn (UT).
func sunLongitude(jdn float64) float64 {
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2 // mean anomaly
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2                  // mean longitude
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// jdFromDate returns the Julian day number of a Gregorian date.
func jdFromDate(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	return dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
}

// jdToDate returns the Gregorian date of a Julian day number.
func jdToDate(jd int) (int, time.Month, int) {
	a := jd + 32044
	b := (4*a + 3) / 146097
	c := a - b*146097/4
	d := (4*c + 3) / 1461
	e := c - 1461*d/4
	m := (5*e + 2) / 153
	day := e - (153*m+2)/5 + 1
	month := m + 3 - 12*(m/10)
	year := b*100 + d - 4800 + m/10
	return year, time.Month(month), day
}
