package main

// The world the generated question set is asked in (testdata/asks:
// roster.csv, four provinces of the national roster; posts.csv, their
// staffing) and an oracle over it: plain Go over the two files, written
// apart from the bot and the store, that says what a right answer
// contains. See generated_test.go.

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const (
	genRoster    = "testdata/asks/roster.csv"
	genPosts     = "testdata/asks/posts.csv"
	genQuestions = "testdata/asks/questions.tsv"
)

type gProvince struct {
	code, name, typ string // typ: "tỉnh" or "thành phố"
	districts       []*gDistrict
}

type gDistrict struct {
	code, name, typ string // "huyện", "thành phố", "thị xã", "quận"
	province        *gProvince
	units           []*gUnit // every unit, phường too
}

type gUnit struct {
	code, name, typ string // "xã", "thị trấn", "phường"
	district        *gDistrict
}

// plan: the unit is one the plan staffs (xã and thị trấn).
func (u *gUnit) plan() bool { return u.typ != "phường" }

type gPost struct {
	kind   string // chief, deputy, officer
	slot   int
	status string // regular, semi, vacant
	holder string
	since  time.Time // zero: no date
}

type gWorld struct {
	provinces []*gProvince
	districts []*gDistrict
	units     []*gUnit
	posts     map[string][]gPost // by commune code
}

// splitType cuts a roster name's type word: "Huyện Đà Bắc" is ("huyện",
// "Đà Bắc").
func splitType(s string) (typ, name string) {
	for _, t := range []string{"Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Quận ", "Tỉnh ", "Xã ", "Phường "} {
		if strings.HasPrefix(s, t) {
			return strings.ToLower(strings.TrimSpace(t)), strings.TrimPrefix(s, t)
		}
	}
	return "", s
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan(); n++ {
		if n > 0 && sc.Text() != "" {
			rows = append(rows, strings.Split(sc.Text(), ","))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// loadGenWorld reads the roster, and the staffing unless posts is "".
func loadGenWorld(t *testing.T, roster, posts string) *gWorld {
	t.Helper()
	w := &gWorld{posts: make(map[string][]gPost)}
	provinces := make(map[string]*gProvince)
	districts := make(map[string]*gDistrict)
	for _, r := range readCSV(t, roster) {
		p := provinces[r[0]]
		if p == nil {
			typ, name := splitType(r[1])
			p = &gProvince{code: r[0], name: name, typ: typ}
			provinces[r[0]] = p
			w.provinces = append(w.provinces, p)
		}
		d := districts[r[2]]
		if d == nil {
			typ, name := splitType(r[3])
			d = &gDistrict{code: r[2], name: name, typ: typ, province: p}
			districts[r[2]] = d
			p.districts = append(p.districts, d)
			w.districts = append(w.districts, d)
		}
		u := &gUnit{code: r[4], name: r[5], typ: r[6], district: d}
		d.units = append(d.units, u)
		w.units = append(w.units, u)
	}
	if posts == "" {
		return w
	}
	for _, r := range readCSV(t, posts) {
		slot, _ := strconv.Atoi(r[2])
		p := gPost{kind: r[1], slot: slot, status: r[3], holder: r[4]}
		if r[5] != "" {
			d, err := time.Parse("2006-01-02", r[5])
			if err != nil {
				t.Fatal(err)
			}
			p.since = d
		}
		w.posts[r[0]] = append(w.posts[r[0]], p)
	}
	return w
}

// writeStaffing draws a staffing of every xã and thị trấn of w, with a
// fixed seed: rates differ by province and district so that rankings
// mean something; no date falls on day 1 or days 28-31, so that a
// question naming a month's edge has one answer however it is read.
func writeStaffing(t *testing.T, w *gWorld, path string) {
	t.Helper()
	rng := rand.New(rand.NewSource(20200331))
	families := []string{"Bùi", "Đinh", "Quách", "Xa", "Hà", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Lò", "Cầm", "Lường", "Sầm", "Mè", "Đặng", "Ngô", "Triệu"}
	middles := []string{"Văn", "Đức", "Ngọc", "Minh", "Thanh", "Công", "Hữu", "Quang", "Xuân", "Tiến", "Mạnh", "Trọng"}
	givens := []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Vinh", "Hưng", "Lâm", "Lợi", "Toàn", "Tâm", "Kiên", "Định", "Hiếu", "Chiến", "Đạt"}
	date := func(from, to time.Time) time.Time {
		for {
			d := from.AddDate(0, 0, rng.Intn(int(to.Sub(from).Hours()/24)+1))
			if d.Day() != 1 && d.Day() < 28 {
				return d
			}
		}
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	var b strings.Builder
	b.WriteString("commune_code,post,slot,status,holder,since\n")
	for _, p := range w.provinces {
		used := make(map[string]bool)
		name := func() string {
			for {
				n := families[rng.Intn(len(families))] + " " + middles[rng.Intn(len(middles))] + " " + givens[rng.Intn(len(givens))]
				if !used[n] {
					used[n] = true
					return n
				}
			}
		}
		base := 0.55 + 0.1*float64(rng.Intn(4))
		for _, d := range p.districts {
			rate := base + 0.05*float64(rng.Intn(7)) - 0.15
			for _, u := range d.units {
				if !u.plan() {
					continue
				}
				line := func(kind string, slot int, status string, since time.Time) {
					holder := ""
					if status != "vacant" {
						holder = name()
					}
					s := ""
					if !since.IsZero() {
						s = since.Format("2006-01-02")
					}
					fmt.Fprintf(&b, "%s,%s,%d,%s,%s,%s\n", u.code, kind, slot, status, holder, s)
				}
				status := func(r float64) string {
					switch x := rng.Float64(); {
					case x < r:
						return "regular"
					case x < r+(1-r)*0.8:
						return "semi"
					}
					return "vacant"
				}
				// The chief: a fifth of the regular ones since the pilot of 2019.
				s := status(rate + 0.15)
				var since time.Time
				if s == "regular" {
					if rng.Intn(5) == 0 {
						since = date(day(2019, 6, 2), day(2019, 12, 27))
					} else {
						since = date(day(2020, 1, 2), day(2021, 12, 27))
					}
				}
				line("chief", 1, s, since)
				for slot := 1; slot <= 1+rng.Intn(2); slot++ {
					s, since := status(rate-0.1), time.Time{}
					if s == "regular" {
						since = date(day(2020, 4, 2), day(2021, 12, 27))
					}
					line("deputy", slot, s, since)
				}
				for slot := 1; slot <= 2+rng.Intn(4); slot++ {
					s, since := status(rate-0.35), time.Time{}
					if s == "regular" && rng.Intn(100) < 85 {
						since = date(day(2020, 1, 2), day(2021, 12, 27))
					}
					line("officer", slot, s, since)
				}
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// gPlace is a place of the world: a unit, a district, a province or
// the whole roster.
type gPlace struct {
	level    int // levelCommune ... levelCountry
	unit     *gUnit
	district *gDistrict
	province *gProvince
}

const (
	levelCommune = iota
	levelDistrict
	levelProvince
	levelCountry
)

func (w *gWorld) units_(p gPlace) []*gUnit {
	var out []*gUnit
	for _, u := range w.units {
		if u.plan() && p.holds(u) {
			out = append(out, u)
		}
	}
	return out
}

// holds reports whether the unit lies in the place.
func (p gPlace) holds(u *gUnit) bool {
	switch p.level {
	case levelCommune:
		return u == p.unit
	case levelDistrict:
		return u.district == p.district
	case levelProvince:
		return u.district.province == p.province
	}
	return true
}

// within reports whether place q lies inside p.
func (p gPlace) within(q gPlace) bool {
	switch q.level {
	case levelCommune:
		return p.holds(q.unit)
	case levelDistrict:
		return p.level == levelCountry || p.level == levelProvince && q.district.province == p.province || p.level == levelDistrict && p.district == q.district
	case levelProvince:
		return p.level == levelCountry || p.level == levelProvince && p.province == q.province
	}
	return p.level == levelCountry
}

// name is the place's name as the sets write it: no type word.
func (p gPlace) name() string {
	switch p.level {
	case levelCommune:
		return p.unit.name
	case levelDistrict:
		return p.district.name
	case levelProvince:
		return p.province.name
	}
	return "cả nước"
}

func (p gPlace) provinceOf() *gProvince {
	switch p.level {
	case levelCommune:
		return p.unit.district.province
	case levelDistrict:
		return p.district.province
	}
	return p.province
}

// post filters: which posts a question counts.
type postFilter struct {
	kinds    string // letters c, d, o; "" every kind
	statuses string // letters r, s, v; "" every status
	from, to time.Time
}

func (f postFilter) match(p gPost) bool {
	if f.kinds != "" && !strings.Contains(f.kinds, p.kind[:1]) {
		return false
	}
	if f.statuses != "" && !strings.Contains(f.statuses, p.status[:1]) {
		return false
	}
	if !f.from.IsZero() || !f.to.IsZero() {
		if p.since.IsZero() || p.since.Before(f.from) || !f.to.IsZero() && p.since.After(f.to) {
			return false
		}
	}
	return true
}

// postCount counts the posts of the place's units that match.
func (w *gWorld) postCount(p gPlace, f postFilter) (n, of int) {
	for _, u := range w.units_(p) {
		for _, post := range w.posts[u.code] {
			if f.kinds == "" || strings.Contains(f.kinds, post.kind[:1]) {
				of++
			}
			if f.match(post) {
				n++
			}
		}
	}
	return n, of
}

// unitTest is a property of one unit.
type unitTest func(w *gWorld, u *gUnit) bool

// some: at least one post of the unit matches; every: all posts of
// the kinds match (and there is one); none: no post of the kinds
// matches.
func some(f postFilter) unitTest {
	return func(w *gWorld, u *gUnit) bool {
		for _, p := range w.posts[u.code] {
			if f.match(p) {
				return true
			}
		}
		return false
	}
}

func every(f postFilter) unitTest {
	return func(w *gWorld, u *gUnit) bool {
		n := 0
		for _, p := range w.posts[u.code] {
			if f.kinds != "" && !strings.Contains(f.kinds, p.kind[:1]) {
				continue
			}
			if !f.match(p) {
				return false
			}
			n++
		}
		return n > 0
	}
}

func not(test unitTest) unitTest {
	return func(w *gWorld, u *gUnit) bool { return !test(w, u) }
}

// unitsWhere lists the place's units for which test holds.
func (w *gWorld) unitsWhere(p gPlace, test unitTest) []*gUnit {
	var out []*gUnit
	for _, u := range w.units_(p) {
		if test(w, u) {
			out = append(out, u)
		}
	}
	return out
}

// percent is n of of as the sets write it: one decimal, half up.
func percent(n, of int) string {
	tenths := (n*2000 + of) / (2 * of)
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}

// ranked orders groups by value, highest first when high; ok is false
// when a tie decides the first k places or the cut after them.
func ranked(names []string, values []float64, high bool, k int) ([]string, bool) {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if high {
			return values[idx[a]] > values[idx[b]]
		}
		return values[idx[a]] < values[idx[b]]
	})
	if len(idx) <= k {
		return nil, false
	}
	var out []string
	for i := 0; i < k; i++ {
		if values[idx[i]] == values[idx[i+1]] {
			return nil, false
		}
		out = append(out, names[idx[i]])
	}
	return out, true
}

// The ways a question's words are typed.

// unaccent drops the diacritics: "Đà Bắc" is "Da Bac".
func unaccent(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		case r == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// telex types a word as its Telex keys, the way a keyboard without its
// input method leaves them: "huyện" is "huyeenj". vni does the same
// with VNI's digits: "huye6n5".
func telex(word string) string {
	return typeKeys(word, "s", "f", "r", "x", "j", "aa", "ee", "oo", "aw", "ow", "uw", "dd")
}

func vni(word string) string {
	return typeKeys(word, "1", "2", "3", "4", "5", "a6", "e6", "o6", "a8", "o7", "u7", "d9")
}

func typeKeys(word string, k ...string) string {
	var b strings.Builder
	tone := ""
	var prev rune // the letter the marks go on
	for _, r := range norm.NFD.String(word) {
		switch r {
		case '\u0301':
			tone = k[0]
		case '\u0300':
			tone = k[1]
		case '\u0309':
			tone = k[2]
		case '\u0303':
			tone = k[3]
		case '\u0323':
			tone = k[4]
		case '\u0302': // â ê ô
			b.WriteString(map[rune]string{'a': k[5][1:], 'e': k[6][1:], 'o': k[7][1:], 'A': k[5][1:], 'E': k[6][1:], 'O': k[7][1:]}[prev])
		case '\u0306': // ă
			b.WriteString(k[8][1:])
		case '\u031b': // ơ ư
			b.WriteString(k[9][1:])
		case 'đ':
			b.WriteString(k[11])
		case 'Đ':
			b.WriteString(strings.ToUpper(k[11][:1]) + k[11][1:])
		default:
			b.WriteRune(r)
			prev = r
		}
	}
	return b.String() + tone
}
