package main

// What the generated questions ask: measures, each with its phrasings
// and its answer from the oracle.

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// gMeasure is one thing to ask of a place: ask are whole questions,
// noun the same as a noun phrase ("số xã ... của {P}"), for requests and
// greetings to wrap; {P} is the place. expect is "" when the place does
// not suit (a list too long, a tie).
type gMeasure struct {
	id       string
	min, max int // the levels of place it is asked of
	ask      []string
	noun     []string
	expect   func(w *gWorld, p gPlace) string
}

var (
	chiefReg     = postFilter{kinds: "c", statuses: "r"}
	chiefVacant  = postFilter{kinds: "c", statuses: "v"}
	deputyReg    = postFilter{kinds: "d", statuses: "r"}
	officerReg   = postFilter{kinds: "o", statuses: "r"}
	officerNot   = postFilter{kinds: "o", statuses: "sv"}
	semiAll      = postFilter{statuses: "s"}
	vacantAll    = postFilter{statuses: "v"}
	notRegAll    = postFilter{statuses: "sv"}
	everyRegular = postFilter{statuses: "r"}
)

func number(n int) string { return fmt.Sprintf("number:%d", n) }

func countPosts(f postFilter) func(w *gWorld, p gPlace) string {
	return func(w *gWorld, p gPlace) string { n, _ := w.postCount(p, f); return number(n) }
}

func countUnits(test unitTest) func(w *gWorld, p gPlace) string {
	return func(w *gWorld, p gPlace) string { return number(len(w.unitsWhere(p, test))) }
}

func listUnits(test unitTest) func(w *gWorld, p gPlace) string {
	return func(w *gWorld, p gPlace) string {
		us := w.unitsWhere(p, test)
		if len(us) == 0 || len(us) > 10 {
			return ""
		}
		var names []string
		for _, u := range us {
			names = append(names, u.name)
		}
		return "names:" + strings.Join(names, "|")
	}
}

func shareUnits(test unitTest) func(w *gWorld, p gPlace) string {
	return func(w *gWorld, p gPlace) string {
		all := len(w.units_(p))
		if all == 0 {
			return ""
		}
		return "percent:" + percent(len(w.unitsWhere(p, test)), all)
	}
}

func sharePosts(f postFilter) func(w *gWorld, p gPlace) string {
	return func(w *gWorld, p gPlace) string {
		n, of := w.postCount(p, f)
		if of == 0 {
			return ""
		}
		return "percent:" + percent(n, of)
	}
}

// groups are the places one level below p that have units of the plan.
func (w *gWorld) groups(p gPlace, level int) []gPlace {
	var out []gPlace
	switch level {
	case levelCommune:
		for _, u := range w.units_(p) {
			out = append(out, gPlace{level: levelCommune, unit: u})
		}
	case levelDistrict:
		for _, d := range w.districts {
			g := gPlace{level: levelDistrict, district: d}
			if p.within(g) && len(w.units_(g)) > 0 {
				out = append(out, g)
			}
		}
	case levelProvince:
		for _, pr := range w.provinces {
			out = append(out, gPlace{level: levelProvince, province: pr})
		}
	}
	return out
}

// rankBy ranks the groups of p at level by value, the first k.
func rankBy(level, k int, high bool, value func(w *gWorld, g gPlace) float64) func(w *gWorld, p gPlace) string {
	return func(w *gWorld, p gPlace) string {
		gs := w.groups(p, level)
		if len(gs) < 3 {
			return ""
		}
		var names []string
		var values []float64
		for _, g := range gs {
			names = append(names, g.name())
			values = append(values, value(w, g))
		}
		top, ok := ranked(names, values, high, k)
		if !ok {
			return ""
		}
		return "ranked:" + strings.Join(top, "|")
	}
}

func unitsValue(test unitTest) func(w *gWorld, g gPlace) float64 {
	return func(w *gWorld, g gPlace) float64 { return float64(len(w.unitsWhere(g, test))) }
}

// shareValue is a share in tenths of a percent, as answers round it.
func shareValue(test unitTest) func(w *gWorld, g gPlace) float64 {
	return func(w *gWorld, g gPlace) float64 {
		all := len(w.units_(g))
		return float64((len(w.unitsWhere(g, test))*2000 + all) / (2 * all))
	}
}

func postsValue(f postFilter) func(w *gWorld, g gPlace) float64 {
	return func(w *gWorld, g gPlace) float64 { n, _ := w.postCount(g, f); return float64(n) }
}

// chiefOf is a commune's chief post.
func (w *gWorld) chiefOf(u *gUnit) gPost {
	for _, p := range w.posts[u.code] {
		if p.kind == "chief" {
			return p
		}
	}
	return gPost{}
}

func dmy(t time.Time) string { return t.Format("02/01/2006") }

var measures = []gMeasure{
	{id: "units-chief-reg", min: levelDistrict, max: levelCountry,
		ask: []string{"{P} có bao nhiêu xã đã có Trưởng Công an xã chính quy?", "Bao nhiêu xã của {P} đã có Trưởng Công an xã chính quy?",
			"{P} đã bố trí được Trưởng Công an xã chính quy cho bao nhiêu xã?"},
		noun:   []string{"số xã đã có Trưởng Công an xã chính quy của {P}", "số lượng xã có Trưởng Công an xã chính quy ở {P}"},
		expect: countUnits(some(chiefReg))},
	{id: "units-chief-notreg", min: levelDistrict, max: levelCountry,
		ask:    []string{"{P} còn bao nhiêu xã chưa có Trưởng Công an xã chính quy?", "Còn mấy xã ở {P} chưa có Trưởng Công an xã chính quy?"},
		noun:   []string{"số xã chưa có Trưởng Công an xã chính quy của {P}"},
		expect: countUnits(not(some(chiefReg)))},
	{id: "units-chief-vacant", min: levelDistrict, max: levelCountry,
		ask:    []string{"{P} có bao nhiêu xã khuyết Trưởng Công an xã?", "Bao nhiêu xã của {P} còn trống Trưởng Công an xã?"},
		noun:   []string{"số xã còn khuyết Trưởng Công an xã của {P}"},
		expect: countUnits(some(chiefVacant))},
	{id: "share-chief-reg", min: levelDistrict, max: levelCountry,
		ask:    []string{"Tỷ lệ xã có Trưởng Công an xã chính quy của {P} là bao nhiêu?", "{P} đã có bao nhiêu phần trăm xã có Trưởng Công an xã chính quy?"},
		noun:   []string{"tỷ lệ xã đã có Trưởng Công an xã chính quy của {P}"},
		expect: shareUnits(some(chiefReg))},
	{id: "list-chief-notreg", min: levelDistrict, max: levelCountry,
		ask:    []string{"Những xã nào của {P} chưa có Trưởng Công an xã chính quy?", "Xã nào ở {P} chưa có Trưởng Công an xã chính quy?"},
		noun:   []string{"danh sách xã chưa có Trưởng Công an xã chính quy của {P}"},
		expect: listUnits(not(some(chiefReg)))},
	{id: "list-chief-vacant", min: levelDistrict, max: levelCountry,
		ask:    []string{"Xã nào của {P} còn khuyết Trưởng Công an xã?", "Những xã nào ở {P} đang trống Trưởng Công an xã?"},
		noun:   []string{"danh sách xã còn khuyết Trưởng Công an xã của {P}"},
		expect: listUnits(some(chiefVacant))},
	{id: "units-no-deputy-reg", min: levelDistrict, max: levelCountry,
		ask:    []string{"{P} có bao nhiêu xã chưa có Phó Trưởng Công an xã chính quy nào?"},
		noun:   []string{"số xã chưa có Phó Trưởng Công an xã chính quy nào của {P}"},
		expect: countUnits(not(some(deputyReg)))},
	{id: "units-all-reg", min: levelDistrict, max: levelCountry,
		ask:    []string{"{P} có bao nhiêu xã mà tất cả các vị trí đều chính quy?"},
		noun:   []string{"số xã đã chính quy tất cả các vị trí của {P}"},
		expect: countUnits(every(everyRegular))},
	{id: "units-count", min: levelDistrict, max: levelCountry,
		ask:    []string{"{P} có bao nhiêu xã, thị trấn?", "{P} có bao nhiêu xã, thị trấn thuộc diện bố trí Công an chính quy?"},
		noun:   []string{"số lượng xã, thị trấn của {P}"},
		expect: countUnits(func(*gWorld, *gUnit) bool { return true })},
	{id: "posts-deputy-reg", min: levelCommune, max: levelCountry,
		ask:    []string{"{P} có bao nhiêu Phó Trưởng Công an xã chính quy?", "Số lượng Phó Trưởng Công an xã chính quy của {P} là bao nhiêu?"},
		noun:   []string{"số lượng Phó Trưởng Công an xã chính quy của {P}"},
		expect: countPosts(deputyReg)},
	{id: "posts-officer-notreg", min: levelCommune, max: levelCountry,
		ask:    []string{"{P} còn bao nhiêu Công an viên chưa chính quy?", "Còn mấy Công an viên chưa chính quy ở {P}?"},
		noun:   []string{"số Công an viên chưa chính quy của {P}"},
		expect: countPosts(officerNot)},
	{id: "posts-semi", min: levelCommune, max: levelCountry,
		ask:    []string{"{P} còn bao nhiêu người bán chuyên trách?", "Tổng số người bán chuyên trách của {P} là bao nhiêu?"},
		noun:   []string{"tổng số người bán chuyên trách của {P}"},
		expect: countPosts(semiAll)},
	{id: "posts-vacant", min: levelCommune, max: levelCountry,
		ask:    []string{"{P} còn bao nhiêu vị trí khuyết?", "Tổng số vị trí còn trống của {P} là bao nhiêu?"},
		noun:   []string{"số vị trí còn khuyết của {P}"},
		expect: countPosts(vacantAll)},
	{id: "posts-officer-reg", min: levelCommune, max: levelCountry,
		ask:    []string{"{P} có bao nhiêu Công an viên chính quy?"},
		noun:   []string{"số Công an viên chính quy của {P}"},
		expect: countPosts(officerReg)},
	{id: "share-officer-reg", min: levelDistrict, max: levelCountry,
		ask:    []string{"Tỷ lệ Công an viên chính quy của {P} là bao nhiêu?"},
		noun:   []string{"tỷ lệ Công an viên chính quy của {P}"},
		expect: sharePosts(postFilter{kinds: "o", statuses: "r"})},
	{id: "posts-notreg", min: levelCommune, max: levelCommune,
		ask:    []string{"{P} còn thiếu bao nhiêu vị trí chính quy?"},
		noun:   []string{"số vị trí chưa chính quy của {P}"},
		expect: countPosts(notRegAll)},
	{id: "holder-chief", min: levelCommune, max: levelCommune,
		ask:  []string{"Ai là Trưởng Công an {P}?", "Trưởng Công an {P} là ai?"},
		noun: []string{"họ tên Trưởng Công an {P}"},
		expect: func(w *gWorld, p gPlace) string {
			c := w.chiefOf(p.unit)
			switch {
			case c.status == "vacant":
				return "holder:-"
			case c.since.IsZero():
				return "holder:" + c.holder
			}
			return "holder:" + c.holder + ";since:" + dmy(c.since)
		}},
	{id: "yes-chief-reg", min: levelCommune, max: levelCommune,
		ask: []string{"{P} đã có Trưởng Công an xã chính quy chưa?", "Trưởng Công an {P} đã là chính quy chưa?",
			"Trưởng Công an {P} là chính quy hay bán chuyên trách?"},
		expect: func(w *gWorld, p gPlace) string {
			if w.chiefOf(p.unit).status == "regular" {
				return "yes"
			}
			return "no"
		}},
	{id: "yes-any-vacant", min: levelCommune, max: levelCommune,
		ask: []string{"{P} còn vị trí nào khuyết không?"},
		expect: func(w *gWorld, p gPlace) string {
			if n, _ := w.postCount(p, vacantAll); n > 0 {
				return "yes"
			}
			return "no"
		}},
	{id: "rank-districts-notreg", min: levelProvince, max: levelProvince,
		ask:    []string{"Huyện, thành phố nào của {P} có nhiều xã chưa có Trưởng Công an xã chính quy nhất?"},
		expect: rankBy(levelDistrict, 1, true, unitsValue(not(some(chiefReg))))},
	{id: "rank-districts-share", min: levelProvince, max: levelProvince,
		ask:    []string{"Huyện, thành phố nào của {P} có tỷ lệ xã có Trưởng Công an xã chính quy thấp nhất?"},
		expect: rankBy(levelDistrict, 1, false, shareValue(some(chiefReg)))},
	{id: "top3-districts-semi", min: levelProvince, max: levelProvince,
		ask:    []string{"3 huyện, thành phố có nhiều người bán chuyên trách nhất của {P}?"},
		expect: rankBy(levelDistrict, 3, true, postsValue(semiAll))},
	{id: "rank-communes-vacant", min: levelDistrict, max: levelDistrict,
		ask:    []string{"Xã nào của {P} còn nhiều vị trí khuyết nhất?"},
		expect: rankBy(levelCommune, 1, true, postsValue(vacantAll))},
	{id: "rank-communes-officer-reg", min: levelDistrict, max: levelDistrict,
		ask:    []string{"Xã nào của {P} có nhiều Công an viên chính quy nhất?"},
		expect: rankBy(levelCommune, 1, true, postsValue(officerReg))},
	{id: "rank-provinces-share", min: levelCountry, max: levelCountry,
		ask:    []string{"Tỉnh, thành phố nào có tỷ lệ xã có Trưởng Công an xã chính quy cao nhất {P}?"},
		expect: rankBy(levelProvince, 1, true, shareValue(some(chiefReg)))},
	{id: "rank-provinces-vacant", min: levelCountry, max: levelCountry,
		ask:    []string{"Tỉnh, thành phố nào còn nhiều vị trí khuyết nhất {P}?"},
		expect: rankBy(levelProvince, 1, true, postsValue(vacantAll))},
}

// measuresAt are the measures asked of a place at level.
func measuresAt(level int, ids ...string) []gMeasure {
	var out []gMeasure
	for _, m := range measures {
		if level < m.min || level > m.max {
			continue
		}
		if len(ids) > 0 && !slices.Contains(ids, m.id) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// A window of time, as questions name it.
type gWindow struct {
	say      string
	from, to time.Time
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var windows = []gWindow{
	{"trong năm 2020", day(2020, 1, 1), day(2020, 12, 31)},
	{"trong năm 2021", day(2021, 1, 1), day(2021, 12, 31)},
	{"trong quý II/2020", day(2020, 4, 1), day(2020, 6, 30)},
	{"trong quý I/2021", day(2021, 1, 1), day(2021, 3, 31)},
	{"từ năm 2021 đến nay", day(2021, 1, 1), time.Time{}},
	{"trước 31/03/2020", day(2000, 1, 1), day(2020, 3, 31)},
	{"trong 6 tháng đầu năm 2021", day(2021, 1, 1), day(2021, 6, 30)},
	{"từ tháng 4/2020 đến nay", day(2020, 4, 1), time.Time{}},
	{"trong năm 2019", day(2019, 1, 1), day(2019, 12, 31)},
}

// windowed is a measure over a window: posts of f given since then.
func windowed(f postFilter, win gWindow) postFilter {
	f.from, f.to = win.from, win.to
	return f
}
