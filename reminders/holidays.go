package reminders

import "time"

// Vietnam's public holidays (Labour Code 2019, article 112, in force from
// 2021; the 2012 code before it differs only in having no second day at
// the National Day):
//
//   - 01/01; 30/04; 01/05; 02/09 and, from 2021, one day next to it, which
//     the Prime Minister picks each year (nationalDayNeighbour);
//   - Tết Nguyên Đán, 5 days off that the Prime Minister places around the
//     lunar new year each year (tetDecided); for years not decided yet,
//     New Year's eve and the first 4 days of the lunar year;
//   - Giỗ Tổ Hùng Vương, the 10th day of the 3rd lunar month.
//
// A holiday on a Saturday or Sunday gives the next working day off
// (article 111: nghỉ bù). The government sometimes also moves a working
// day next to a holiday to a Saturday (swaps). Changes the government
// decides later go in a holidays file (ParseHolidays).

// lunarDays holds the solar dates of Tết (1/1 lunar) and of Giỗ Tổ
// (10/3 lunar) from 2020 to 2030, as lunarToSolar computes them and as the
// published Vietnamese calendars give them. Vietnam's Tết 2030 is on
// 02/02, a day before China's. Other years are computed.
var lunarDays = map[int]struct{ tet, hungKings date }{
	2020: {date{2020, 1, 25}, date{2020, 4, 2}},
	2021: {date{2021, 2, 12}, date{2021, 4, 21}},
	2022: {date{2022, 2, 1}, date{2022, 4, 10}},
	2023: {date{2023, 1, 22}, date{2023, 4, 29}},
	2024: {date{2024, 2, 10}, date{2024, 4, 18}},
	2025: {date{2025, 1, 29}, date{2025, 4, 7}},
	2026: {date{2026, 2, 17}, date{2026, 4, 26}},
	2027: {date{2027, 2, 6}, date{2027, 4, 16}},
	2028: {date{2028, 1, 26}, date{2028, 4, 4}},
	2029: {date{2029, 2, 13}, date{2029, 4, 23}},
	2030: {date{2030, 2, 2}, date{2030, 4, 12}},
}

// tetDecided holds the Tết days off of civil servants as the government
// announced them, first and last day, weekends included.
var tetDecided = map[int][2]date{
	2020: {date{2020, 1, 23}, date{2020, 1, 29}}, // 29 Chạp to mùng 5
	2021: {date{2021, 2, 10}, date{2021, 2, 16}}, // 29 Chạp to mùng 5
	2022: {date{2022, 1, 29}, date{2022, 2, 6}},  // 27 Chạp to mùng 6
	2023: {date{2023, 1, 20}, date{2023, 1, 26}}, // 29 Chạp to mùng 5
	2024: {date{2024, 2, 8}, date{2024, 2, 14}},  // 29 Chạp to mùng 5
	2025: {date{2025, 1, 25}, date{2025, 2, 2}},  // 26 Chạp to mùng 5
	2026: {date{2026, 2, 14}, date{2026, 2, 22}}, // 27 Chạp to mùng 6
}

// swaps holds working days the government moved to a Saturday: off is
// given, work is worked instead.
var swaps = map[int][]struct{ off, work date }{
	2024: {{off: date{2024, 4, 29}, work: date{2024, 5, 4}}},
	2025: {{off: date{2025, 5, 2}, work: date{2025, 4, 26}}},
}

// yearHolidays returns the days off and make-up working days of year y.
func yearHolidays(y int, loc *time.Location) []Holiday {
	off := make(map[date]string)
	var byLaw []date // holidays the law names, which a weekend compensates
	law := func(d date, name string) {
		if _, dup := off[d]; dup {
			return
		}
		off[d] = name
		byLaw = append(byLaw, d)
	}

	tet, hungKings := lunarDates(y)
	law(date{y, time.January, 1}, HolidayNewYear)
	if r, ok := tetDecided[y]; ok {
		for d := r[0]; !r[1].before(d); d = d.add(1) {
			off[d] = HolidayTet
		}
	} else {
		for i := -1; i <= 3; i++ {
			law(tet.add(i), HolidayTet)
		}
	}
	law(hungKings, HolidayHungKings)
	law(date{y, time.April, 30}, HolidayReunification)
	law(date{y, time.May, 1}, HolidayLabour)
	law(date{y, time.September, 2}, HolidayNational)
	if y >= 2021 {
		law(nationalDayNeighbour(y), HolidayNational)
	}

	// In date order, so that two weekend holidays in a row get the next
	// two free working days.
	sortDates(byLaw)
	for _, d := range byLaw {
		if !d.weekend() {
			continue
		}
		c := d.add(1)
		for {
			if _, taken := off[c]; !taken && !c.weekend() {
				break
			}
			c = c.add(1)
		}
		off[c] = HolidayCompensatory
	}

	var out []Holiday
	for _, s := range swaps[y] {
		off[s.off] = HolidaySwap
		out = append(out, Holiday{Date: s.work.midnight(loc), Name: HolidayMakeUp, Working: true})
	}
	for d, name := range off {
		out = append(out, Holiday{Date: d.midnight(loc), Name: name})
	}
	return out
}

// lunarDates returns the solar dates of Tết and Giỗ Tổ in year y.
func lunarDates(y int) (tet, hungKings date) {
	if t, ok := lunarDays[y]; ok {
		return t.tet, t.hungKings
	}
	ty, tm, td := lunarToSolar(1, 1, y)
	hy, hm, hd := lunarToSolar(10, 3, y)
	return date{ty, tm, td}, date{hy, hm, hd}
}

// nationalDayNeighbour returns the day next to 02/09 that is given off
// with it. The Prime Minister picks it each year; this picks as he did
// from 2021 to 2025: the side away from the weekend when 02/09 is next
// to one or on one, else the side that reaches a weekend, else the day
// after.
func nationalDayNeighbour(y int) date {
	switch (date{y, time.September, 2}).weekday() {
	case time.Tuesday, time.Friday, time.Saturday:
		return date{y, time.September, 1}
	default:
		return date{y, time.September, 3}
	}
}
