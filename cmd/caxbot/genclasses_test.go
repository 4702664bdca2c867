package main

// The nine classes of issue #10, as question generators: each makes the
// i-th question of its class for a user, or says it cannot.

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
)

// perClass is how many questions (before their three forms) each class
// asks of each role.
const perClass = 8

// generateQuestions makes the set: for each class and role, perClass
// questions spread over the role's users, each in its forms.
func generateQuestions(t *testing.T, w *gWorld) []askRow {
	g := &gen{t: t, w: w, rng: rand.New(rand.NewSource(2020))}
	users := g.users()
	classes := []func(*gUser, int) (gBase, bool){g.class1, g.class2, g.class3, g.class4, g.class5, g.class6, g.class7, g.class8, g.class9}
	var rows []askRow
	seen := make(map[string]bool)
	id := 0
	for c, class := range classes {
		for _, role := range []string{"commune", "district", "province", "national"} {
			var us []*gUser
			for _, u := range users {
				if u.role == role {
					us = append(us, u)
				}
			}
			made, failed := 0, 0
			for i := 0; made < perClass && i < 60*perClass; i++ {
				u := us[i%len(us)]
				k := made
				if failed > 10 {
					// That turn finds nothing here: another.
					k = g.pick(perClass)
				}
				b, ok := class(u, k)
				if !ok || seen[u.scope+b.text] {
					failed++
					continue
				}
				failed = 0
				if b.expect == "" {
					t.Fatalf("class %d: %q has no expectation", c+1, b.text)
				}
				seen[u.scope+b.text] = true
				b.class, b.user = c+1, u
				id++
				rows = append(rows, g.forms(b, id)...)
				made++
			}
			if made < perClass {
				t.Fatalf("class %d, role %s: %d questions, want %d", c+1, role, made, perClass)
			}
		}
	}
	return rows
}

// users are who ask: the Ministry; two provinces; four districts; four
// communes, one of them a thị trấn.
func (g *gen) users() []*gUser {
	w := g.w
	us := []*gUser{{role: "national", scope: "VN", place: gPlace{level: levelCountry}, who: "cán bộ Cục Xây dựng lực lượng"}}
	for _, p := range w.provinces {
		if p.code == "17" || p.code == "25" {
			us = append(us, &gUser{role: "province", scope: p.code, place: gPlace{level: levelProvince, province: p}, who: "cán bộ Phòng Tham mưu Công an tỉnh"})
		}
	}
	for _, name := range []string{"Lương Sơn", "Thanh Sơn", "Mai Sơn", "Hòa Vang"} {
		for _, d := range w.districts {
			if d.name == name {
				us = append(us, &gUser{role: "district", scope: d.code, place: gPlace{level: levelDistrict, district: d}, who: "cán bộ Công an " + d.typ})
			}
		}
	}
	for _, p := range w.provinces {
		var cands []*gUnit
		for _, u := range w.units {
			if u.plan() && u.district.province == p && (p.code != "14" || u.typ == "thị trấn") && len(g.named(u.name)) > 1 {
				cands = append(cands, u)
			}
		}
		u := cands[g.pick(len(cands))]
		us = append(us, &gUser{role: "commune", scope: u.code, place: gPlace{level: levelCommune, unit: u}, who: "Trưởng Công an " + u.typ})
	}
	return us
}

// sayAsk phrases a measure of a place as a question.
func (g *gen) sayAsk(m gMeasure, r gRef) string {
	return strings.ReplaceAll(pickOf(g, m.ask), "{P}", r.text())
}

// sayNoun phrases it as a noun phrase, or as the question when it has
// none.
func (g *gen) sayNoun(m gMeasure, r gRef) (string, bool) {
	if len(m.noun) == 0 {
		return "", false
	}
	return strings.ReplaceAll(pickOf(g, m.noun), "{P}", r.text()), true
}

// measureOf asks a random measure of ref's place, of the ids if any.
func (g *gen) measureOf(r gRef, ids ...string) (gMeasure, string, bool) {
	ms := measuresAt(r.place.level, ids...)
	if len(ms) == 0 {
		return gMeasure{}, "", false
	}
	m := ms[g.pick(len(ms))]
	e := m.expect(g.w, r.place)
	return m, e, e != ""
}

// pickMeasure is a random measure asked at level, of the ids if any.
func (g *gen) pickMeasure(level int, ids ...string) (gMeasure, bool) {
	ms := measuresAt(level, ids...)
	if len(ms) == 0 {
		return gMeasure{}, false
	}
	return ms[g.pick(len(ms))], true
}

// somePlace is the user's own place or a place below it, by turns.
func (g *gen) somePlace(u *gUser, i int) (gRef, bool) {
	level := u.place.level
	if i%2 == 1 && level > levelCommune {
		level--
	}
	return g.namedRef(u, level)
}

func note(m gMeasure, refs ...gRef) string {
	var ps []string
	for _, r := range refs {
		ps = append(ps, r.place.code())
	}
	return m.id + " @" + strings.Join(ps, ",")
}

// code is a place's code, for notes.
func (p gPlace) code() string {
	switch p.level {
	case levelCommune:
		return p.unit.code
	case levelDistrict:
		return p.district.code
	case levelProvince:
		return p.province.code
	}
	return "VN"
}

// Class 1: abbreviations. Own places ("xã mình", "huyện em") and the
// words officers shorten, in questions and in requests.
func (g *gen) class1(u *gUser, i int) (gBase, bool) {
	r := g.ownRef(u)
	m, e, ok := g.measureOf(r)
	if !ok {
		return gBase{}, false
	}
	text := g.sayAsk(m, r)
	if noun, ok := g.sayNoun(m, r); ok && i%3 != 0 {
		me := pickOf(g, []string{"tôi", "em", "mình"})
		if strings.HasPrefix(noun, "danh sách") || strings.HasPrefix(noun, "họ tên") || i%3 == 1 {
			text = "Cho " + me + " xin " + noun + " được không?"
		} else {
			text = "Cho " + me + " hỏi " + noun + " là bao nhiêu rồi?"
		}
	}
	return gBase{text: text, refs: []gRef{r}, expect: e, note: note(m, r)}, true
}

// Class 2: measures composed: shares, lists, rankings, none and all,
// comparisons of two places.
func (g *gen) class2(u *gUser, i int) (gBase, bool) {
	if i%3 == 2 && u.place.level > levelCommune {
		return g.compare(u)
	}
	r, ok := g.somePlace(u, i)
	if !ok {
		return gBase{}, false
	}
	m, e, ok := g.measureOf(r, "share-chief-reg", "list-chief-notreg", "list-chief-vacant", "units-no-deputy-reg", "units-all-reg",
		"posts-semi", "share-officer-reg", "rank-districts-notreg", "rank-districts-share", "top3-districts-semi", "rank-communes-vacant",
		"rank-communes-officer-reg", "rank-provinces-share", "rank-provinces-vacant", "holder-chief", "yes-any-vacant", "posts-notreg")
	if !ok {
		return gBase{}, false
	}
	return gBase{text: g.sayAsk(m, r), refs: []gRef{r}, expect: e, note: note(m, r)}, true
}

// compare asks of two places of the user's scope.
func (g *gen) compare(u *gUser) (gBase, bool) {
	level := u.place.level - 1
	a, ok1 := g.namedRef(u, level)
	b, ok2 := g.namedRef(u, level)
	if !ok1 || !ok2 || samePlace(a.place, b.place) || a.own || b.own {
		return gBase{}, false
	}
	w := g.w
	switch g.pick(3) {
	case 0:
		x, _ := w.postCount(a.place, deputyReg)
		y, _ := w.postCount(b.place, deputyReg)
		return gBase{text: a.text() + " và " + b.text() + " mỗi nơi có bao nhiêu Phó Trưởng Công an xã chính quy?",
			refs: []gRef{a, b}, expect: number(x) + " && " + number(y), note: "each posts-deputy-reg @" + a.place.code() + "," + b.place.code()}, true
	case 1:
		x, _ := w.postCount(a.place, officerReg)
		y, _ := w.postCount(b.place, officerReg)
		return gBase{text: "So sánh số Công an viên chính quy của " + a.text() + " và " + b.text(),
			refs: []gRef{a, b}, expect: number(x) + " && " + number(y), note: "compare posts-officer-reg @" + a.place.code() + "," + b.place.code()}, true
	}
	if level == levelCommune {
		return gBase{}, false
	}
	x := len(w.unitsWhere(a.place, not(some(chiefReg))))
	y := len(w.unitsWhere(b.place, not(some(chiefReg))))
	if x == y {
		return gBase{}, false
	}
	win := a.place.name()
	if y > x {
		win = b.place.name()
	}
	return gBase{text: a.text() + " hay " + b.text() + " có nhiều xã chưa có Trưởng Công an xã chính quy hơn?",
		refs: []gRef{a, b}, expect: "ranked:" + win, note: "more units-chief-notreg @" + a.place.code() + "," + b.place.code()}, true
}

// Class 3: communes named with their district, names shared by
// communes of the scope, i/y and tone-placement spellings.
func (g *gen) class3(u *gUser, i int) (gBase, bool) {
	var spelled, qualified, shared []gRef
	for _, p := range g.placesIn(u, levelCommune) {
		r := g.unitRef(p.unit)
		if v := respell(r.name); v != r.name {
			r.name = v
			if g.uniqueIn(u, r) {
				spelled = append(spelled, r)
			}
		}
		d := p.unit.district
		q := g.unitRef(p.unit)
		q.qual = pickOf(g, []string{" " + d.typ + " " + d.name, ", " + d.typ + " " + d.name, " (" + d.typ + " " + d.name + ")", " thuộc " + d.typ + " " + d.name})
		if u.place.level == levelCountry {
			q.qual += " tỉnh " + d.province.name
		}
		// Qualified where the name alone is shared, mostly.
		p2, why := g.resolve(u, g.unitRef(p.unit), false)
		if why != "" || !samePlace(p2, p) || g.pick(3) == 0 {
			qualified = append(qualified, q)
		}
		if why == "clarify" {
			shared = append(shared, g.unitRef(p.unit))
		}
	}
	if u.place.level >= levelProvince {
		for _, p := range g.placesIn(u, levelDistrict) {
			r := g.districtRef(p.district)
			if v := respell(r.name); v != r.name {
				r.name = v
				if g.uniqueIn(u, r) {
					spelled = append(spelled, r)
				}
			}
		}
	}
	cands := qualified
	switch {
	case i == 5 && len(shared) > 0:
		// A name two communes of the scope share, without their district.
		cands = shared
	case i%2 == 0 && len(spelled) > 0 || len(qualified) == 0:
		cands = spelled
	}
	if len(cands) == 0 {
		return gBase{}, false
	}
	r := cands[g.pick(len(cands))]
	m, e, ok := g.measureOf(r)
	if !ok {
		return gBase{}, false
	}
	return gBase{text: g.sayAsk(m, r), refs: []gRef{r}, expect: e, note: note(m, r)}, true
}

// respell writes a name another way officers write it: i for y or y for
// i at a syllable's end, the tone mark on the other vowel of "oa", "uy".
func respell(name string) string {
	swaps := [][2]string{{"oà", "òa"}, {"oá", "óa"}, {"oả", "ỏa"}, {"oạ", "ọa"}, {"uỷ", "ủy"}, {"uý", "úy"}, {"uỵ", "ụy"},
		{"òa", "oà"}, {"óa", "oá"}, {"ỏa", "oả"}, {"ọa", "oạ"}, {"ủy", "uỷ"}, {"úy", "uý"}, {"ụy", "uỵ"}}
	words := strings.Fields(name)
	for i, w := range words {
		for _, s := range swaps {
			if strings.HasSuffix(w, s[0]) {
				words[i] = strings.TrimSuffix(w, s[0]) + s[1]
				return strings.Join(words, " ")
			}
		}
		// Kỳ ~ Kì, Lý ~ Lí: a syllable of a consonant and y.
		r := []rune(w)
		if len(r) == 2 && strings.ContainsRune("KkLlMmTt", r[0]) {
			if to, ok := map[rune]rune{'ỳ': 'ì', 'ý': 'í', 'ỷ': 'ỉ', 'ỹ': 'ĩ', 'ỵ': 'ị', 'ì': 'ỳ', 'í': 'ý', 'ỉ': 'ỷ', 'ĩ': 'ỹ', 'ị': 'ỵ'}[r[1]]; ok {
				words[i] = string([]rune{r[0], to})
				return strings.Join(words, " ")
			}
		}
	}
	return name
}

// questionWords are words of questions that are also words of place
// names: "Cao" (cao nhất), "Đồng" (đồng chí), "Tân", "Thành" (thành
// phố)...
var questionWords = []string{"cao", "thấp", "còn", "có", "tổng", "số", "đồng", "mới", "nhất", "trung", "thành", "phố", "tân", "hợp",
	"tiến", "an", "bình", "ba", "hai", "đoàn", "kết", "chính", "đông", "tây", "nam", "bắc", "trên", "dưới", "mường", "vân", "văn", "tam", "mỹ"}

// Class 4: names that collide: with another place once the diacritics
// are gone, with a district of the same name, with a word of the
// question. Context decides, or the bot asks.
func (g *gen) class4(u *gUser, i int) (gBase, bool) {
	kinds := make([][]gRef, 3)
	for _, level := range []int{levelCommune, levelDistrict, levelProvince} {
		if level > u.place.level {
			break
		}
		for _, p := range g.placesIn(u, level) {
			r := g.placeRef(p)
			if level == u.place.level && g.pick(2) == 0 {
				// Their own place by its bare name.
				r.typ = ""
			}
			// Another place of the world bears the name once the
			// diacritics are gone.
			for _, x := range g.named(p.name()) {
				if key(x.name(), false) != key(p.name(), false) {
					kinds[0] = append(kinds[0], r)
					break
				}
			}
			// A district and a unit share it.
			if len(g.named(p.name())) > 1 {
				kinds[1] = append(kinds[1], r)
			}
			// A word of the question.
			for _, w := range strings.Fields(strings.ToLower(p.name())) {
				if slices.Contains(questionWords, w) {
					kinds[2] = append(kinds[2], r)
					break
				}
			}
		}
	}
	cands := kinds[i%3]
	for k := 0; len(cands) == 0 && k < 3; k++ {
		cands = kinds[k]
	}
	if len(cands) == 0 {
		return gBase{}, false
	}
	r := cands[g.pick(len(cands))]
	var ids []string
	if r.typ == "" && r.place.level <= levelDistrict && g.seatTown(r.name) {
		// A bare name that is a district's and its seat town's: the
		// district, asked only where a count of communes makes no
		// other reading.
		if r.place.level != levelDistrict {
			return gBase{}, false
		}
		ids = []string{"units-chief-reg", "units-chief-notreg", "units-count", "share-chief-reg"}
	}
	m, e, ok := g.measureOf(r, ids...)
	if !ok {
		return gBase{}, false
	}
	return gBase{text: g.sayAsk(m, r), refs: []gRef{r}, expect: e, note: note(m, r)}, true
}

// seatTown reports whether a district and one of its units bear name.
func (g *gen) seatTown(name string) bool {
	for _, d := range g.w.districts {
		if key(d.name, true) != key(name, true) {
			continue
		}
		for _, u := range d.units {
			if key(u.name, true) == key(name, true) {
				return true
			}
		}
	}
	return false
}

// named are the places of every level whose name is typed as name is
// without diacritics.
func (g *gen) named(name string) []gPlace {
	if g.byBare == nil {
		g.byBare = make(map[string][]gPlace)
		for _, p := range g.w.provinces {
			k := key(p.name, true)
			g.byBare[k] = append(g.byBare[k], gPlace{level: levelProvince, province: p})
		}
		for _, d := range g.w.districts {
			k := key(d.name, true)
			g.byBare[k] = append(g.byBare[k], gPlace{level: levelDistrict, district: d})
		}
		for _, x := range g.w.units {
			k := key(x.name, true)
			g.byBare[k] = append(g.byBare[k], gPlace{level: levelCommune, unit: x})
		}
	}
	return g.byBare[key(name, true)]
}

// Class 5: leftovers of a keyboard without its input method, Telex and
// VNI keys in the words and in the places (forms: keyForms).
func (g *gen) class5(u *gUser, i int) (gBase, bool) {
	r, ok := g.somePlace(u, i)
	if !ok {
		return gBase{}, false
	}
	m, e, ok := g.measureOf(r)
	if !ok {
		return gBase{}, false
	}
	return gBase{text: g.sayAsk(m, r), refs: []gRef{r}, expect: e, note: note(m, r)}, true
}

// madeUp are names no place of the country bears (the test checks the
// national roster when it is there).
var madeUp = []string{"Phúc Lạc", "Hưng Lâm", "Thịnh Lạc", "Khánh Mỹ", "Tây Lâm", "Ngọc Phong", "Kim Xuân", "Bảo Thủy", "Thịnh Hà", "Đông Thủy", "Kim Lạc", "Tây Hà"}

// elsewhere are places of the country outside the roster of the set.
var elsewhere = []string{"tỉnh Nghệ An", "tỉnh Cà Mau", "tỉnh Lạng Sơn", "huyện Kỳ Sơn", "huyện Mộc Hóa", "thành phố Cần Thơ"}

// Class 6: places the roster does not have, or that lie outside the
// user's scope; commands too.
func (g *gen) class6(u *gUser, i int) (gBase, bool) {
	var r gRef
	kind := i % 3
	if kind == 1 && u.place.level == levelCountry {
		kind = 2 * g.pick(2)
	}
	switch kind {
	case 0:
		name := pickOf(g, madeUp)
		level := pickOf(g, []int{levelCommune, levelDistrict})
		typ := map[int]string{levelCommune: "xã", levelDistrict: "huyện"}[level]
		r = gRef{place: gPlace{level: level}, typ: typ, name: name}
	case 1:
		// A real place outside the scope: in the province (refused) or
		// not (not found).
		var out []gPlace
		for _, p := range g.w.units {
			x := gPlace{level: levelCommune, unit: p}
			if p.plan() && !u.place.within(x) {
				out = append(out, x)
			}
		}
		if len(out) == 0 {
			return gBase{}, false
		}
		r = g.unitRef(out[g.pick(len(out))].unit)
		if g.clashes(r) {
			return gBase{}, false
		}
	default:
		say := pickOf(g, elsewhere)
		typ, name, _ := strings.Cut(say, " ")
		if typ == "thành" {
			typ, name = "thành phố", strings.TrimPrefix(name, "phố ")
		}
		level := levelDistrict
		if typ == "tỉnh" || name == "Cần Thơ" {
			level = levelProvince
		}
		r = gRef{place: gPlace{level: level}, typ: typ, name: name}
	}
	if i == 4 {
		// A command with a place.
		return gBase{text: "/xa " + r.name + " chính quy không", refs: []gRef{r}, expect: "?", note: "command /xa"}, g.settle(u, &r)
	}
	m, ok := g.pickMeasure(max(r.place.level, levelDistrict), "units-chief-reg", "posts-vacant", "posts-semi", "share-chief-reg", "posts-deputy-reg")
	if r.place.level == levelCommune {
		m, ok = g.pickMeasure(levelCommune, "holder-chief", "yes-chief-reg", "posts-vacant")
	}
	if !ok {
		return gBase{}, false
	}
	b := gBase{text: g.sayAsk(m, r), refs: []gRef{r}, note: m.id + " @" + r.name}
	b.expect = "?"
	return b, g.settle(u, &r)
}

// settle checks that a place outside the scope resolves as outside,
// typed both ways; the expectation is then the resolver's.
func (g *gen) settle(u *gUser, r *gRef) bool {
	for _, bare := range []bool{false, true} {
		if _, why := g.resolve(u, *r, bare); why == "" || why == "clarify" {
			return false
		}
	}
	return true
}

// Class 7: time, over the since dates: windows, deadlines, the latest.
func (g *gen) class7(u *gUser, i int) (gBase, bool) {
	r, ok := g.somePlace(u, i)
	if !ok {
		return gBase{}, false
	}
	w := g.w
	win := windows[g.pick(len(windows))]
	p := r.place
	if p.level == levelCommune {
		c := w.chiefOf(p.unit)
		switch i % 3 {
		case 0:
			if c.status != "regular" {
				return gBase{}, false
			}
			return gBase{text: "Trưởng Công an " + r.text() + " là chính quy từ ngày nào?", refs: []gRef{r}, expect: "since:" + dmy(c.since), note: "since-chief @" + p.code()}, true
		case 1:
			n, _ := w.postCount(p, windowed(deputyReg, win))
			return gBase{text: r.text() + " có bao nhiêu Phó Trưởng Công an xã chính quy được bố trí " + win.say + "?", refs: []gRef{r}, expect: number(n), note: "win-deputy @" + p.code()}, true
		}
		if g.pick(2) == 0 && c.status == "regular" {
			// "chính quy từ năm 2019": since a day of that year.
			y := 2019 + g.pick(3)
			e := "no"
			if c.since.Year() == y {
				e = "yes"
			}
			return gBase{text: "Trưởng Công an " + r.text() + " chính quy từ năm " + fmt.Sprint(y) + " phải không?", refs: []gRef{r}, expect: e, note: "since-year @" + p.code()}, true
		}
		onTime := !c.since.IsZero() && !c.since.After(day(2020, 3, 31))
		e := "no"
		if onTime {
			e = "yes"
		}
		return gBase{text: r.text() + " có Trưởng Công an xã chính quy đúng hạn (trước 31/03/2020) không?", refs: []gRef{r}, expect: e, note: "ontime @" + p.code()}, true
	}
	switch i % 5 {
	case 0:
		n, _ := w.postCount(p, windowed(chiefReg, win))
		return gBase{text: r.text() + " bố trí được bao nhiêu Trưởng Công an xã chính quy " + win.say + "?", refs: []gRef{r}, expect: number(n), note: "win-chief @" + p.code()}, true
	case 1:
		n, _ := w.postCount(p, windowed(deputyReg, win))
		return gBase{text: r.text() + " có bao nhiêu Phó Trưởng Công an xã chính quy được bố trí " + win.say + "?", refs: []gRef{r}, expect: number(n), note: "win-deputy @" + p.code()}, true
	case 2:
		e := listUnits(some(windowed(chiefReg, win)))(w, p)
		if e == "" {
			return gBase{}, false
		}
		return gBase{text: "Xã nào của " + r.text() + " có Trưởng Công an xã chính quy " + win.say + "?", refs: []gRef{r}, expect: e, note: "list-win-chief @" + p.code()}, true
	case 3:
		n := len(w.unitsWhere(p, some(postFilter{kinds: "c", statuses: "r", from: day(2000, 1, 1), to: day(2020, 3, 31)})))
		return gBase{text: r.text() + " có bao nhiêu xã bố trí Trưởng Công an xã chính quy đúng hạn (trước 31/03/2020)?", refs: []gRef{r}, expect: number(n), note: "ontime @" + p.code()}, true
	}
	// The latest, where its day is one holder's.
	var latest []gPost
	for _, x := range w.units_(p) {
		c := w.chiefOf(x)
		if c.status == "regular" {
			latest = append(latest, c)
		}
	}
	sort.Slice(latest, func(a, b int) bool { return latest[a].since.After(latest[b].since) })
	if len(latest) < 2 || latest[0].since.Equal(latest[1].since) {
		return gBase{}, false
	}
	return gBase{text: "Ai là Trưởng Công an xã chính quy được bố trí gần đây nhất ở " + r.text() + "?", refs: []gRef{r},
		expect: "holder:" + latest[0].holder + ";since:" + dmy(latest[0].since), note: "latest-chief @" + p.code()}, true
}

// Class 8: messages as people write them: a greeting and who they are,
// requests in administrative form, two questions in one, the shortest
// follow-ups.
func (g *gen) class8(u *gUser, i int) (gBase, bool) {
	switch i % 4 {
	case 0:
		r, ok := g.somePlace(u, i)
		if !ok {
			return gBase{}, false
		}
		m, e, ok := g.measureOf(r)
		if !ok {
			return gBase{}, false
		}
		greet := pickOf(g, []string{"Chào hệ thống", "Chào đồng chí", "Xin chào", "Em chào anh ạ", "Kính gửi hệ thống"})
		name := pickOf(g, []string{"Thắng", "Hùng", "Lan", "Bình", "Phong"})
		text := greet + ", tôi là " + name + ", " + u.who + ", " + lowerFirst(g.sayAsk(m, r))
		return gBase{text: text, refs: []gRef{r}, expect: e, note: note(m, r)}, true
	case 1:
		r, ok := g.somePlace(u, i)
		if !ok {
			return gBase{}, false
		}
		m, e, ok := g.measureOf(r)
		if !ok {
			return gBase{}, false
		}
		noun, ok := g.sayNoun(m, r)
		if !ok {
			return gBase{}, false
		}
		text := pickOf(g, []string{"Đề nghị cho biết %s.", "Thống kê giúp %s.", "Tổng hợp %s ạ", "Nhờ hệ thống tổng hợp %s ạ.", "Đề nghị báo cáo %s."})
		return gBase{text: strings.Replace(text, "%s", noun, 1), refs: []gRef{r}, expect: e, note: "request " + note(m, r)}, true
	case 2:
		r := g.ownRef(u)
		ms := measuresAt(u.place.level, "posts-vacant", "posts-semi", "posts-deputy-reg", "posts-officer-notreg", "units-chief-notreg", "share-chief-reg", "holder-chief", "yes-chief-reg")
		a, b := ms[g.pick(len(ms))], ms[g.pick(len(ms))]
		if a.id == b.id {
			return gBase{}, false
		}
		ea, eb := a.expect(g.w, r.place), b.expect(g.w, r.place)
		if ea == "" || eb == "" {
			return gBase{}, false
		}
		text := g.sayAsk(a, r) + " " + g.sayAsk(b, g.ownRef(u))
		if g.pick(3) == 0 {
			ea, eb = countPosts(vacantAll)(g.w, r.place), countPosts(semiAll)(g.w, r.place)
			text = r.text() + " trống mấy vị trí, bán chuyên trách mấy người?"
			a.id, b.id = "posts-vacant", "posts-semi"
		}
		return gBase{text: text, refs: []gRef{r}, expect: ea + " && " + eb, note: "two " + a.id + ", " + b.id + " @" + r.place.code()}, true
	}
	// Follow-ups, read against the user's scope.
	type short struct {
		say    string
		min    int
		expect func() string
	}
	p := u.place
	shorts := []short{
		{"Còn trống mấy vị trí?", levelCommune, func() string { return countPosts(vacantAll)(g.w, p) }},
		{"Còn mấy Công an viên chưa chính quy?", levelCommune, func() string { return countPosts(officerNot)(g.w, p) }},
		{"Còn mấy xã chưa có Trưởng Công an xã chính quy?", levelDistrict, func() string { return countUnits(not(some(chiefReg)))(g.w, p) }},
		{"Thế còn bao nhiêu người bán chuyên trách?", levelCommune, func() string { return countPosts(semiAll)(g.w, p) }},
		{"Sao rồi, Trưởng Công an xã chính quy chưa?", levelCommune, func() string {
			if p.level != levelCommune {
				return ""
			}
			if g.w.chiefOf(p.unit).status == "regular" {
				return "yes"
			}
			return "no"
		}},
	}
	s := shorts[g.pick(len(shorts))]
	if p.level < s.min {
		return gBase{}, false
	}
	e := s.expect()
	if e == "" {
		return gBase{}, false
	}
	return gBase{text: s.say, expect: e, note: "follow-up @" + p.code()}, true
}

// Class 9: the national roster and the words for a scope: "cả nước",
// "toàn quốc", "toàn tỉnh", per province.
func (g *gen) class9(u *gUser, i int) (gBase, bool) {
	say := pickOf(g, []string{"cả nước", "toàn quốc", "toàn tỉnh"})
	if u.place.level == levelCountry && i%3 == 1 {
		// Per province, per district.
		r, ok := g.namedRef(u, levelProvince-g.pick(2))
		if !ok {
			return gBase{}, false
		}
		m, e, ok := g.measureOf(r)
		if !ok {
			return gBase{}, false
		}
		return gBase{text: g.sayAsk(m, r), refs: []gRef{r}, expect: e, note: note(m, r)}, true
	}
	if u.place.level == levelProvince && i%3 == 1 {
		say = "toàn tỉnh"
	}
	var place gPlace
	switch {
	case say == "toàn tỉnh" && u.place.level == levelProvince:
		place = u.place
	case say != "toàn tỉnh" && u.place.level == levelCountry:
		place = u.place
	}
	level := levelCountry
	if say == "toàn tỉnh" {
		level = levelProvince
	}
	m, ok := g.pickMeasure(level, "units-chief-reg", "units-chief-notreg", "share-chief-reg", "posts-vacant", "posts-semi", "units-count", "rank-provinces-share", "rank-districts-notreg")
	if !ok {
		return gBase{}, false
	}
	r := gRef{place: place, name: say, own: true}
	text := g.sayAsk(m, r)
	var e string
	switch {
	case place.level == levelCountry || place.level == levelProvince && place.province != nil:
		e = m.expect(g.w, place)
	case say == "toàn tỉnh" && u.place.level == levelCountry:
		e = "clarify"
	default:
		e = "refused"
	}
	if e == "" {
		return gBase{}, false
	}
	return gBase{text: text, refs: []gRef{r}, expect: e, note: m.id + " @" + say}, true
}
