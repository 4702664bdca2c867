package understand

import "time"

// asOf reads the moment a question asks the roster's state at, from a
// clock's now, and marks the words that said it as read, so that no
// window is made of them:
//
//   - "tình hình (ngày|đến ngày|vào) 31/03/2020", "(tại|vào) thời điểm
//     31/03/2020", "tình hình quý I/2020": at the end of that day or period;
//   - "đầu năm 2021", "đầu quý II/2021", "đầu tháng 4/2021": at its start;
//   - "cuối năm 2020", "cuối quý I/2020", "cuối tháng 3/2020": at its end.
//
// "từ đầu năm" is a window's start, and "6 tháng cuối năm" a period, as
// before: neither is a moment. The zero time: no moment named.
func asOf(toks []token, now time.Time) time.Time {
	if now.IsZero() {
		return time.Time{}
	}
	ws := make([]string, len(toks))
	for i, t := range toks {
		if t.mention == 0 {
			ws[i] = t.fold
		}
	}
	at := func(i int) string {
		if i >= 0 && i < len(ws) {
			return ws[i]
		}
		return ""
	}
	mark := func(from, n int) {
		for k := from; k < from+n && k < len(toks); k++ {
			toks[k].cue = cueFiller
			toks[k].fold = ""
		}
	}
	for i := range ws {
		switch {
		case at(i) == "tinh" && at(i+1) == "hinh", at(i) == "thoi" && at(i+1) == "diem":
			// The time may follow a place or a few words: "tình hình toàn
			// tỉnh ngày 31/3/2020". A window's bound before it ("từ",
			// "trước", "sau") makes it a window, not a moment.
			for k := i + 2; k < i+8 && k < len(ws); k++ {
				if b, _ := boundAt(ws, k); b == "from" || b == "before" || b == "after" {
					break
				}
				p, ok := timeAt(ws, k, now)
				if !ok || at(k) == "dau" && at(k+1) == "nam" && !isYear(at(k+2)) {
					continue
				}
				start := k
				for start > i+2 && (at(start-1) == "vao" || at(start-1) == "tai" || at(start-1) == "den" || at(start-1) == "toi" || at(start-1) == "het") {
					start--
				}
				if at(i) == "thoi" {
					start = i
				}
				mark(start, k-start+p.n) // "tình hình" itself still asks for an overview
				return p.to
			}
		case (at(i) == "dau" || at(i) == "cuoi") && (at(i+1) == "nam" || at(i+1) == "qui" || at(i+1) == "thang"):
			if at(i-1) == "tu" || at(i-1) == "thang" || at(i-1) == "nua" || at(i-2) == "ke" {
				continue // "từ đầu năm", "6 tháng cuối năm", "nửa đầu năm"
			}
			p, ok := timeAt(ws, i+1, now)
			if !ok || at(i+1) == "nam" && !isYear(at(i+2)) && at(i+2) != "nay" && at(i+2) != "ngoai" && at(i+2) != "truoc" {
				continue
			}
			mark(i, 1+p.n)
			if at(i) == "dau" {
				return p.from
			}
			return p.to
		}
	}
	return time.Time{}
}

func isYear(w string) bool {
	_, ok := yearOf(w)
	return ok
}
