package main

// The generated question set: questions as officers type them, in the
// nine classes of issue #10, for users of each role, each asked with
// diacritics, without them and abbreviated; what a right answer contains
// is computed by the oracle of genworld_test.go from testdata/asks
// (roster.csv, posts.csv), never typed. The set is written out to
// testdata/asks/questions.tsv, for reading and review; the test fails
// when that file is not what the generator makes.
//
//	go test ./cmd/caxbot -run TestGeneratedQuestions -v          # the score
//	go test ./cmd/caxbot -run TestGeneratedQuestions -regenerate  # rewrite the files

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var regenerate = flag.Bool("regenerate", false, "rewrite testdata/asks/posts.csv and questions.tsv")

// The generated set's floor: the bar.
const (
	generatedFloor        = 97.0
	generatedWrongCeiling = 0.5
)

// TestGeneratedQuestions asks the generated question set through
// `caxbot chat` and prints its score.
func TestGeneratedQuestions(t *testing.T) {
	if testing.Short() {
		t.Skip("the generated set takes a while")
	}
	if *regenerate {
		writeStaffing(t, loadGenWorld(t, genRoster, ""), genPosts)
	}
	w := loadGenWorld(t, genRoster, genPosts)
	rows := generateQuestions(t, w)
	var b strings.Builder
	b.WriteString("id\trole\tscope\tquestion\texpect\tnote\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\n", r.id, r.role, r.scope, r.question, r.expect, r.note)
	}
	if *regenerate {
		if err := os.WriteFile(genQuestions, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if old, err := os.ReadFile(genQuestions); err != nil || string(old) != b.String() {
		t.Fatalf("%s is not what the generator makes (%v): run go test ./cmd/caxbot -run TestGeneratedQuestions -regenerate", genQuestions, err)
	}
	if len(rows) < 500 {
		t.Fatalf("%d questions, want at least 500", len(rows))
	}
	now := time.Date(2022, 1, 17, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	world := newAskWorld(t, genRoster, genPosts, now)
	answers := world.ask(t, rows)
	counts := score(t, "generated set", rows, answers, testing.Verbose())
	if r, n := counts[outRight], len(rows); pct(r, n) < generatedFloor {
		t.Errorf("generated set: %.1f%% right, want at least %.0f%%", pct(r, n), generatedFloor)
	}
	if w, n := counts[outWrong], len(rows); pct(w, n) > generatedWrongCeiling {
		t.Errorf("generated set: %.1f%% wrong, want at most %.1f%%", pct(w, n), generatedWrongCeiling)
	}
}

// gUser is who asks: a role, its scope, its place.
type gUser struct {
	role, scope string
	place       gPlace
	who         string // how they present themselves
}

// gRef is a place as a question names it.
type gRef struct {
	place gPlace
	typ   string // the type word written, "" none
	name  string // the name as written
	qual  string // the district or province written after a commune, "" none
	own   bool   // "xã tôi", "toàn tỉnh": the user's own place
}

// text is the reference as typed with diacritics.
func (r gRef) text() string {
	s := r.name
	if r.typ != "" {
		s = r.typ + " " + s
	}
	if r.qual != "" {
		s += r.qual
	}
	return s
}

// gBase is one question before its forms: with diacritics, in full
// words, and the expectation if its places are the ones meant.
type gBase struct {
	class  int
	user   *gUser
	text   string
	refs   []gRef
	expect string
	note   string
}

type gen struct {
	t      *testing.T
	w      *gWorld
	rng    *rand.Rand
	n      int // abbreviation choices turn with it
	byBare map[string][]gPlace
}

func (g *gen) pick(n int) int { return g.rng.Intn(n) }

func pickOf[T any](g *gen, xs []T) T { return xs[g.rng.Intn(len(xs))] }

// key folds a name as the bot matches it: case, tone placement and i/y
// aside; without diacritics too when bare.
func key(s string, bare bool) string { return cachedKey(s, bare, true) }

// exactKey is key with i and y apart.
func exactKey(s string, bare bool) string { return cachedKey(s, bare, false) }

func cachedKey(s string, bare, iy bool) string {
	keysMu.Lock()
	defer keysMu.Unlock()
	k := [3]string{s, strconv.FormatBool(bare), strconv.FormatBool(iy)}
	if v, ok := keyCache[k]; ok {
		return v
	}
	v := foldKey(s, bare, iy)
	keyCache[k] = v
	return v
}

var (
	keysMu   sync.Mutex
	keyCache = make(map[[3]string]string)
)

func foldKey(s string, bare, iy bool) string {
	s = nameKey(s)
	if bare {
		s = strings.ToLower(unaccent(s))
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if r == 'y' && iy {
			r = 'i'
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// resolve says which place a reference names for the user, typed with
// diacritics or without: the place, or "clarify" when two places in
// scope bear that name, "refused" when the only ones are in the user's
// province but outside their scope, "notfound" otherwise.
func (g *gen) resolve(u *gUser, r gRef, bare bool) (gPlace, string) {
	if r.own {
		return r.place, ""
	}
	// A name spelled as typed first; then i for y ("Kì Sơn").
	for _, k := range []func(string, bool) string{exactKey, key} {
		if cands := g.candidates(r, bare, k); len(cands) > 0 {
			return g.inScope(u, cands)
		}
	}
	return gPlace{}, "notfound"
}

// candidates are the places a reference may name, names compared by k.
func (g *gen) candidates(r gRef, bare bool, k func(string, bool) string) []gPlace {
	var cands []gPlace
	name := k(r.name, bare)
	if r.typ == "" {
		// Without a type word: a place of any level; a district's seat
		// town of the same name is the district.
		for _, p := range g.w.provinces {
			if k(p.name, bare) == name {
				cands = append(cands, gPlace{level: levelProvince, province: p})
			}
		}
		for _, d := range g.w.districts {
			if k(d.name, bare) == name {
				cands = append(cands, gPlace{level: levelDistrict, district: d})
			}
		}
		for _, x := range g.w.units {
			if k(x.name, bare) == name && k(x.district.name, bare) != name {
				cands = append(cands, gPlace{level: levelCommune, unit: x})
			}
		}
		return cands
	}
	switch r.place.level {
	case levelCommune:
		for _, x := range g.w.units {
			if k(x.name, bare) == name && r.typ == x.typ {
				if r.qual == "" || strings.Contains(k(r.qual, bare), k(x.district.name, bare)) {
					cands = append(cands, gPlace{level: levelCommune, unit: x})
				}
			}
		}
	case levelDistrict:
		for _, d := range g.w.districts {
			if k(d.name, bare) == name && r.typ == d.typ {
				cands = append(cands, gPlace{level: levelDistrict, district: d})
			}
		}
	case levelProvince:
		for _, p := range g.w.provinces {
			if k(p.name, bare) == name {
				cands = append(cands, gPlace{level: levelProvince, province: p})
			}
		}
	}
	return cands
}

// inScope decides among the places a name may stand for.
func (g *gen) inScope(u *gUser, cands []gPlace) (gPlace, string) {
	var in []gPlace
	refused := false
	for _, c := range cands {
		if u.place.within(c) {
			in = append(in, c)
		} else if u.place.level != levelCountry && (gPlace{level: levelProvince, province: u.place.provinceOf()}).within(c) {
			refused = true
		}
	}
	switch {
	case len(in) == 1:
		return in[0], ""
	case len(in) > 1:
		return gPlace{}, "clarify"
	case refused:
		return gPlace{}, "refused"
	}
	return gPlace{}, "notfound"
}

// expectFor is a question's expectation typed one way: its own, or
// what its places make of it.
func (g *gen) expectFor(b gBase, bare bool) (string, string) {
	for _, r := range b.refs {
		p, why := g.resolve(b.user, r, bare)
		if why != "" {
			return why, fmt.Sprintf(" (%s: %s)", r.text(), why)
		}
		if !samePlace(p, r.place) {
			g.t.Fatalf("%q: %q resolves elsewhere", b.text, r.text())
		}
	}
	return b.expect, ""
}

func samePlace(a, b gPlace) bool {
	return a.level == b.level && a.unit == b.unit && a.district == b.district && a.province == b.province
}

// The abbreviations officers type, from the list.
var genAbbreviations = []struct {
	full  string
	short []string
}{
	{"Phó Trưởng Công an xã", []string{"PTCAX", "ptcax"}},
	{"Trưởng Công an xã", []string{"TCAX", "tcax"}},
	{"Công an viên", []string{"CAV", "cav"}},
	{"Công an xã", []string{"CAX", "cax"}},
	{"Công an huyện", []string{"CAH"}},
	{"Công an", []string{"CA"}},
	{"chính quy", []string{"CQ", "cq"}},
	{"bán chuyên trách", []string{"BCT", "bct"}},
	{"số lượng", []string{"sl", "SL"}},
	{"bao nhiêu", []string{"bn"}},
	{"danh sách", []string{"ds", "DS"}},
	{"như thế nào", []string{"ntn"}},
	{"thành phố", []string{"TP", "tp"}},
	{"thị trấn", []string{"TT", "tt"}},
	{"không", []string{"ko", "k", "hok"}},
	{"được", []string{"dc", "đc"}},
	{"rồi", []string{"r", "rùi"}},
	{"gì", []string{"j"}},
	{"mình", []string{"mk", "mik"}},
	{"tôi", []string{"t", "mk"}},
	{"tỷ lệ", []string{"tl", "TL"}},
	{"vị trí", []string{"vt", "vị trí"}},
	{"thị xã", []string{"TX", "tx"}},
}

// abbreviate writes every phrase of the list short, the choices turning.
func (g *gen) abbreviate(s string) string {
	for _, a := range genAbbreviations {
		for {
			i := indexWord(s, a.full)
			if i < 0 {
				break
			}
			short := a.short[g.n%len(a.short)]
			g.n++
			s = s[:i] + short + s[i+len(a.full):]
		}
	}
	return s
}

// indexWord finds phrase in s, in any case, as whole words.
func indexWord(s, phrase string) int {
	ls, lp := []rune(strings.ToLower(s)), []rune(strings.ToLower(phrase))
	for i := 0; i+len(lp) <= len(ls); i++ {
		if string(ls[i:i+len(lp)]) != string(lp) {
			continue
		}
		if i > 0 && (unicode.IsLetter(ls[i-1]) || unicode.IsDigit(ls[i-1])) {
			continue
		}
		if j := i + len(lp); j < len(ls) && (unicode.IsLetter(ls[j]) || unicode.IsDigit(ls[j])) {
			continue
		}
		return len(string([]rune(s)[:i]))
	}
	return -1
}

// capital writes a sentence's first letter large.
func capital(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// form is a question as typed: with diacritics or not.
type form struct {
	text string
	bare bool
}

// forms writes a question three ways: with diacritics, without, and
// abbreviated (with or without, by turns); class 5 types leftover
// Telex and VNI keys instead.
func (g *gen) forms(b gBase, id int) []askRow {
	var fs []form
	if b.class == 5 {
		fs = g.keyForms(b)
	} else {
		toned := capital(b.text)
		bare := unaccent(toned)
		if id%2 == 1 {
			bare = strings.ToLower(bare)
		}
		short := g.abbreviate(toned)
		shortBare := id%3 != 0
		if shortBare {
			short = strings.ToLower(unaccent(short))
		}
		if unaccent(strings.ToLower(short)) == unaccent(strings.ToLower(toned)) {
			g.t.Fatalf("%q has nothing to abbreviate", toned)
		}
		fs = []form{{toned, false}, {bare, true}, {short, shortBare}}
	}
	var rows []askRow
	for i, f := range fs {
		expect, why := g.expectFor(b, f.bare)
		rows = append(rows, askRow{
			id: fmt.Sprintf("C%d-%03d%c", b.class, id, 'a'+i), role: b.user.role, scope: b.user.scope,
			question: f.text, expect: expect, note: b.note + why,
		})
	}
	return rows
}

// keyForms are a class-5 question's forms: a word or two typed as Telex
// keys among words with diacritics; the place too as Telex keys among
// words without; a word or two as VNI keys in an abbreviated question
// without diacritics.
func (g *gen) keyForms(b gBase) []form {
	placeWords := make(map[string]bool)
	for _, r := range b.refs {
		if !r.own {
			for _, w := range strings.Fields(r.text()) {
				placeWords[w] = true
			}
		}
	}
	// mangle types n words with diacritics as keys, places aside unless
	// withPlace.
	mangle := func(s string, n int, with func(string) string, withPlace bool) string {
		words := strings.Fields(s)
		var cand []int
		for i, w := range words {
			if unaccent(w) != w && !placeWords[w] && !strings.ContainsAny(w, "0123456789") {
				cand = append(cand, i)
			}
		}
		for k := 0; k < n && len(cand) > 0; k++ {
			j := g.pick(len(cand))
			i := cand[j]
			cand = append(cand[:j], cand[j+1:]...)
			words[i] = with(strings.TrimRight(words[i], "?,.")) + words[i][len(strings.TrimRight(words[i], "?,.")):]
		}
		out := strings.Join(words, " ")
		if withPlace {
			for _, r := range b.refs {
				if !r.own {
					var ws []string
					for _, w := range strings.Fields(r.name) {
						ws = append(ws, with(w))
					}
					out = strings.Replace(out, r.name, strings.Join(ws, " "), 1)
				}
			}
		}
		return out
	}
	toned := capital(b.text)
	placeTyped := false
	for _, r := range b.refs {
		if !r.own {
			placeTyped = true
		}
	}
	second := mangle(toned, 1, telex, true)
	// The rest of the words without diacritics; the place's keys kept.
	var ws []string
	for _, w := range strings.Fields(second) {
		ws = append(ws, unaccent(w))
	}
	second = strings.Join(ws, " ")
	third := mangle(g.abbreviate(toned), 2, vni, false)
	var ws3 []string
	for _, w := range strings.Fields(third) {
		ws3 = append(ws3, strings.ToLower(unaccent(w)))
	}
	return []form{
		{mangle(toned, 2, telex, false), false},
		{second, !placeTyped},
		{strings.Join(ws3, " "), true},
	}
}

// The places a user can name.

func (g *gen) unitRef(u *gUnit) gRef {
	return gRef{place: gPlace{level: levelCommune, unit: u}, typ: u.typ, name: u.name}
}

func (g *gen) districtRef(d *gDistrict) gRef {
	return gRef{place: gPlace{level: levelDistrict, district: d}, typ: d.typ, name: d.name}
}

func (g *gen) provinceRef(p *gProvince) gRef {
	return gRef{place: gPlace{level: levelProvince, province: p}, typ: p.typ, name: p.name}
}

func (g *gen) placeRef(p gPlace) gRef {
	switch p.level {
	case levelCommune:
		return g.unitRef(p.unit)
	case levelDistrict:
		return g.districtRef(p.district)
	case levelProvince:
		return g.provinceRef(p.province)
	}
	return gRef{place: p, name: pickOf(g, []string{"cả nước", "toàn quốc"}), own: true}
}

// ownRef is the user's own place as they name it.
func (g *gen) ownRef(u *gUser) gRef {
	var say string
	switch u.place.level {
	case levelCommune:
		say = pickOf(g, []string{u.place.unit.typ + " tôi", u.place.unit.typ + " mình", u.place.unit.typ + " em", "đơn vị mình", "đơn vị tôi"})
	case levelDistrict:
		say = pickOf(g, []string{u.place.district.typ + " tôi", u.place.district.typ + " mình", u.place.district.typ + " em"})
	case levelProvince:
		say = pickOf(g, []string{"toàn tỉnh", "tỉnh mình", "tỉnh tôi", "tỉnh em"})
	default:
		say = pickOf(g, []string{"cả nước", "toàn quốc"})
	}
	return gRef{place: u.place, name: say, own: true}
}

// uniqueIn reports whether a ref names one place for the user, typed
// both ways.
func (g *gen) uniqueIn(u *gUser, r gRef) bool {
	for _, bare := range []bool{false, true} {
		if p, why := g.resolve(u, r, bare); why != "" || !samePlace(p, r.place) {
			return false
		}
	}
	return true
}

// placesIn lists the places at a level inside the user's scope.
func (g *gen) placesIn(u *gUser, level int) []gPlace {
	var out []gPlace
	switch level {
	case levelCommune:
		for _, x := range g.w.units {
			if x.plan() && u.place.holds(x) {
				out = append(out, gPlace{level: levelCommune, unit: x})
			}
		}
	case levelDistrict:
		for _, d := range g.w.districts {
			p := gPlace{level: levelDistrict, district: d}
			if u.place.within(p) && len(g.w.units_(p)) > 0 {
				out = append(out, p)
			}
		}
	case levelProvince:
		for _, pr := range g.w.provinces {
			p := gPlace{level: levelProvince, province: pr}
			if u.place.within(p) {
				out = append(out, p)
			}
		}
	case levelCountry:
		if u.place.level == levelCountry {
			out = append(out, u.place)
		}
	}
	return out
}

// namedRef is a place of the user's scope at a level, named so that it
// is unique (with its district or province when its name is not).
func (g *gen) namedRef(u *gUser, level int) (gRef, bool) {
	ps := g.placesIn(u, level)
	if len(ps) == 0 {
		return gRef{}, false
	}
	for try := 0; try < 20; try++ {
		p := ps[g.pick(len(ps))]
		if level == u.place.level {
			return g.ownRef(u), true
		}
		r := g.placeRef(p)
		if g.uniqueIn(u, r) {
			return r, true
		}
		if level == levelCommune {
			r.qual = " " + p.unit.district.typ + " " + p.unit.district.name
			if g.uniqueIn(u, r) {
				return r, true
			}
		}
	}
	return gRef{}, false
}

// clashes reports whether a name is also a district's, a province's or
// a commune's of the other level: those are class 4's.
func (g *gen) clashes(r gRef) bool { return len(g.named(r.name)) > 1 }
