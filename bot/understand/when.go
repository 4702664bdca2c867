package understand

import (
	"strconv"
	"time"
)

// Window is a span of days a question is about: From included, To not,
// both midnights in the time zone of the clock the question was read at;
// a zero bound is open.
type Window struct {
	From, To time.Time
	// Period says the words named a period ("quý II/2020", "tuần này",
	// "từ đầu năm") rather than only a bound ("trước 31/03").
	Period bool
	// Through is the end of the period a "từ" named ("từ năm 2019": the
	// end of 2019), for a question about one holder: "chính quy từ năm
	// 2019" is since a day of 2019.
	Through time.Time
}

// IsZero reports whether the window bounds nothing.
func (w Window) IsZero() bool { return w.From.IsZero() && w.To.IsZero() }

// oneDay reports whether the words named a single day and no bound
// ("ngày 31/03/2020", "hôm qua").
func (w Window) oneDay() bool {
	return w.Period && !w.From.IsZero() && w.To.Equal(w.From.AddDate(0, 0, 1))
}

// period is a time expression's days, [from, to).
type period struct {
	from, to time.Time
	n        int // words read
}

// window reads the time window of the words, from a clock's now; none
// when now is zero or the words name no time.
func window(toks []token, now time.Time) Window {
	if now.IsZero() {
		return Window{}
	}
	// Only the words tagged as times, bounds or numbers, and unknown
	// ones ("q2", "t3"), start a time: "quy" in "chính quy" is no quarter.
	var ws []string
	for _, t := range toks {
		if t.mention != 0 || t.cue != 0 && t.cue&(cueTime|cueBound|cueFiller|cueOnTime) == 0 {
			ws = append(ws, "")
			continue
		}
		ws = append(ws, t.fold)
	}
	var w Window
	for i := 0; i < len(ws); {
		bound, n := boundAt(ws, i)
		p, ok := timeAt(ws, i+n, now)
		if !ok {
			i++
			continue
		}
		switch bound {
		case "from":
			w.From, w.Through = p.from, p.to
			if b2, n2 := boundAt(ws, i+n+p.n); b2 == "until" {
				if p2, ok := timeAt(ws, i+n+p.n+n2, now); ok {
					w.To, w.Through, p.n = p2.to, time.Time{}, p.n+n2+p2.n
				}
			}
			w.Period = w.Period || ws[i+n] == "dau"
		case "before":
			w.To = p.from
		case "after":
			w.From = p.to
		case "until":
			w.To = p.to
		default:
			w.From, w.To, w.Period = p.from, p.to, true
		}
		if !w.From.IsZero() && !w.To.IsZero() && !w.To.After(w.From) {
			// Times that contradict each other ("2021 ... 1/1"): the
			// last one read.
			w = Window{From: p.from, To: p.to, Period: true}
		}
		i += n + p.n
	}
	return w
}

// boundAt reads a word that bounds a window: "từ", "kể từ", "trước",
// "sau", "đến", "tới".
func boundAt(ws []string, i int) (string, int) {
	at := func(k int) string {
		if i+k < len(ws) {
			return ws[i+k]
		}
		return ""
	}
	switch {
	case (at(0) == "den" || at(0) == "toi") && at(1) == "het", at(0) == "tinh" && (at(1) == "den" || at(1) == "toi"):
		return "until", 2
	case at(0) == "sau" && (at(1) == "han" || at(1) == "moc"):
		return "after", 2
	case at(0) == "truoc" && (at(1) == "han" || at(1) == "moc"):
		return "before", 2
	case at(0) == "het" && at(1) != "han":
		return "until", 1
	case at(0) == "ke" && at(1) == "tu":
		return "from", 2
	case at(0) == "tu":
		return "from", 1
	case at(0) == "truoc" && at(1) == "ngay":
		return "before", 2
	case at(0) == "truoc":
		return "before", 1
	case at(0) == "sau" && at(1) == "ngay":
		return "after", 2
	case at(0) == "sau":
		return "after", 1
	case at(0) == "den" && at(1) == "ngay", at(0) == "toi" && at(1) == "ngay":
		return "until", 2
	case at(0) == "den", at(0) == "toi":
		return "until", 1
	}
	return "", 0
}

var romans = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4}

// timeAt reads a time expression at ws[i]: a date (31/03/2020, 31/3), a
// quarter (quý II/2020, q2), a month (tháng 3/2020, t3), a year (năm
// 2020, 2020), or a period relative to now (hôm nay, tuần này, tháng
// trước, năm nay, đầu năm).
func timeAt(ws []string, i int, now time.Time) (period, bool) {
	at := func(k int) string {
		if i+k < len(ws) {
			return ws[i+k]
		}
		return ""
	}
	loc := now.Location()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	today := day(now.Year(), now.Month(), now.Day())
	// year reads an optional year at ws[i+k]: "2020", "năm 2020".
	year := func(k int) (int, int) {
		if at(k) == "nam" {
			if y, ok := yearOf(at(k + 1)); ok {
				return y, 2
			}
		}
		if y, ok := yearOf(at(k)); ok {
			return y, 1
		}
		return now.Year(), 0
	}
	quarter := func(q, y, n int) (period, bool) {
		from := day(y, time.Month(3*(q-1)+1), 1)
		return period{from, from.AddDate(0, 3, 0), n}, true
	}
	month := func(m, y, n int) (period, bool) {
		from := day(y, time.Month(m), 1)
		return period{from, from.AddDate(0, 1, 0), n}, true
	}
	w0, w1 := at(0), at(1)
	if (w0 == "6" || w0 == "sau") && w1 == "thang" && (at(2) == "dau" || at(2) == "cuoi") && at(3) == "nam" ||
		w0 == "nua" && (w1 == "dau" || w1 == "cuoi") && at(2) == "nam" {
		// "6 tháng cuối năm 2021", "nửa đầu năm": a half-year.
		k := 2
		if w0 != "nua" {
			k = 3
		}
		y, n := now.Year(), 0
		if yy, ok := yearOf(at(k + 1)); ok {
			y, n = yy, 1
		}
		from := day(y, time.January, 1)
		if at(k-1) == "cuoi" {
			from = day(y, time.July, 1)
		}
		return period{from, from.AddDate(0, 6, 0), k + 1 + n}, true
	}
	switch {
	case w0 == "hom" && w1 == "nay":
		return period{today, today.AddDate(0, 0, 1), 2}, true
	case w0 == "hom" && w1 == "qua":
		return period{today.AddDate(0, 0, -1), today, 2}, true
	case w0 == "tuan" && w1 == "nay":
		from := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		return period{from, from.AddDate(0, 0, 7), 2}, true
	case w0 == "tuan" && (w1 == "truoc" || w1 == "qua"):
		from := today.AddDate(0, 0, -((int(today.Weekday())+6)%7)-7)
		return period{from, from.AddDate(0, 0, 7), 2}, true
	case w0 == "thang" && w1 == "nay":
		return month(int(now.Month()), now.Year(), 2)
	case w0 == "thang" && (w1 == "truoc" || w1 == "qua"):
		prev := day(now.Year(), now.Month(), 1).AddDate(0, -1, 0)
		return month(int(prev.Month()), prev.Year(), 2)
	case w0 == "qui" && w1 == "nay":
		return quarter((int(now.Month())-1)/3+1, now.Year(), 2)
	case w0 == "qui" && (w1 == "truoc" || w1 == "qua"):
		q, y := (int(now.Month())-1)/3, now.Year()
		if q == 0 {
			q, y = 4, y-1
		}
		return quarter(q, y, 2)
	case w0 == "nam" && w1 == "nay":
		return period{day(now.Year(), 1, 1), day(now.Year()+1, 1, 1), 2}, true
	case w0 == "nam" && (w1 == "ngoai" || w1 == "truoc" || w1 == "qua"):
		return period{day(now.Year()-1, 1, 1), day(now.Year(), 1, 1), 2}, true
	case w0 == "dau" && w1 == "nam":
		// "từ đầu năm": from the first day of the year to now.
		return period{day(now.Year(), 1, 1), today.AddDate(0, 0, 1), 2}, true
	case w0 == "qui":
		q, ok := romans[w1]
		if !ok {
			n, err := strconv.Atoi(w1)
			q, ok = n, err == nil
		}
		if ok && q >= 1 && q <= 4 {
			y, n := year(2)
			return quarter(q, y, 2+n)
		}
	case len(w0) == 2 && w0[0] == 'q' && w0[1] >= '1' && w0[1] <= '4':
		y, n := year(1)
		return quarter(int(w0[1]-'0'), y, 1+n)
	case w0 == "thang":
		if m, err := strconv.Atoi(w1); err == nil && m >= 1 && m <= 12 {
			y, n := year(2)
			return month(m, y, 2+n)
		}
	case len(w0) >= 2 && len(w0) <= 3 && w0[0] == 't' && isDigits(w0[1:]):
		if m, _ := strconv.Atoi(w0[1:]); m >= 1 && m <= 12 {
			y, n := year(1)
			return month(m, y, 1+n)
		}
	case w0 == "nam":
		if y, ok := yearOf(w1); ok {
			return period{day(y, 1, 1), day(y+1, 1, 1), 2}, true
		}
	case w0 == "ngay" && isDigits(w1):
		p, ok := timeAt(ws, i+1, now)
		p.n++
		return p, ok && p.to.Sub(p.from) <= 24*time.Hour+time.Hour
	case isDigits(w0):
		if y, ok := yearOf(w0); ok {
			return period{day(y, 1, 1), day(y+1, 1, 1), 1}, true
		}
		d, err1 := strconv.Atoi(w0)
		m, err2 := strconv.Atoi(w1)
		if err1 != nil || err2 != nil || d < 1 || d > 31 || m < 1 || m > 12 {
			return period{}, false
		}
		y, n := now.Year(), 2
		if yy, ok := yearOf(at(2)); ok {
			y, n = yy, 3
		}
		t := day(y, time.Month(m), d)
		if t.Day() != d {
			return period{}, false
		}
		return period{t, t.AddDate(0, 0, 1), n}, true
	}
	return period{}, false
}

// yearOf reads a year of the plan's era.
func yearOf(w string) (int, bool) {
	if len(w) != 4 || !isDigits(w) {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	return y, y >= 1990 && y <= 2100
}
