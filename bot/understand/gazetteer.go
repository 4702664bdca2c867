package understand

import (
	"cmp"
	"slices"
	"strings"

	"github.com/caxbot/caxbot/store"
)

// Levels of a Place.
const (
	LevelProvince = "province"
	LevelDistrict = "district"
	LevelCommune  = "commune"
)

// Place is a unit of the roster that a message names.
type Place struct {
	Level string // LevelProvince, LevelDistrict or LevelCommune
	// Code is the administrative code; for LevelProvince it is empty when
	// the gazetteer holds several provinces (the user's own is meant).
	Code string
	Name string // as in the roster: "Huyện Lạc Sơn", "Tân Lập"
	// Type is the commune's type (xã, thị trấn, phường); empty otherwise.
	// The bot needs it to tell "huyện Mai Châu" from "thị trấn Mai Châu"
	// when it asks which one was meant.
	Type         store.CommuneType
	DistrictCode string // for communes: the district they belong to
	DistrictName string // for communes: "Huyện Lạc Sơn"
}

// Bounds of the fuzzy match: a typo is at most one edit per word, and at
// most maxEditsShort edits in all for a name of up to shortName letters.
const (
	shortName     = 6
	maxEditsShort = 1
	maxEditsLong  = 2
	maxSuggested  = 5
	maxNameWord   = 32 // bytes of the longest folded word worth a typo search
	// nameBytes is room on the stack for a name's folded words joined:
	// the roster's longest is well within it; a longer key only spills to
	// the heap.
	nameBytes = 64
)

// Gazetteer finds the provinces, districts and communes of a roster in
// folded text. It is built once and is safe for concurrent use: nothing
// changes it after NewGazetteer.
type Gazetteer struct {
	names []placeName
	// byKey maps a name's folded words joined without spaces to the names
	// spelled so: "tanlap" finds every Tân Lập, and a user who typed
	// "tanlap" or "tan lap" finds them too.
	byKey map[string][]int32
	// byFirst maps a name's first folded word to the names starting with
	// it, and words maps a folded word and each of its one-letter deletions
	// to the name words they come from: together they find the names within
	// a typo of the user's words without scanning the roster.
	byFirst  map[string][]int32
	words    map[string][]string
	known    map[string]bool // the name words already in words
	byCode   map[string]int32
	maxWords int
	province string // the one province of the roster, "" when several
	// provinceOf maps a district's code to its province's.
	provinceOf map[string]string
	// byInitials maps the initials of district and province names ("hb"
	// for Hòa Bình) to the names, for a type word before them: "TP HB".
	byInitials map[string][]int32
}

type placeName struct {
	place Place
	fold  []string // the bare name's folded words: "lac", "son"
	toned []string // the same words with their diacritics
	plain []string // the same words' letters, i and y as spelled
	// prefix is a district's or province's type words ("huyen", "thanh
	// pho", "tinh"), which a type word the user typed should agree with.
	prefix string
	// key is fold joined without spaces, the name's key in byKey.
	key string
	// letters is the count of letters, for the typo bound.
	letters int
	// foreign marks a province the roster does not hold: a name to say
	// "not found" of, never to answer for.
	foreign bool
}

// districtWords are the type words that start a district's name in the
// roster; the bare name follows them. provinceWords do the same for
// provinces.
var (
	districtWords = [][]string{{"huyen"}, {"quan"}, {"thanh", "pho"}, {"thi", "xa"}}
	provinceWords = [][]string{{"tinh"}, {"thanh", "pho"}}
)

// NewGazetteer indexes the roster's provinces, districts and communes.
func NewGazetteer(provinces []store.Province, districts []store.District, communes []store.Commune) *Gazetteer {
	g := &Gazetteer{
		byKey:      make(map[string][]int32),
		byFirst:    make(map[string][]int32),
		words:      make(map[string][]string),
		known:      make(map[string]bool),
		byCode:     make(map[string]int32),
		provinceOf: make(map[string]string, len(districts)),
		byInitials: make(map[string][]int32),
	}
	inRoster := make(map[string]bool)
	districtName := make(map[string]string, len(districts))
	for _, d := range districts {
		inRoster[d.ProvinceCode] = true
		districtName[d.Code] = d.Name
		g.provinceOf[d.Code] = d.ProvinceCode
		g.add(Place{Level: LevelDistrict, Code: d.Code, Name: d.Name}, bareName(d.Name, districtWords))
	}
	for _, p := range provinces {
		if !inRoster[p.Code] {
			continue
		}
		g.add(Place{Level: LevelProvince, Code: p.Code, Name: p.Name}, bareName(p.Name, provinceWords))
	}
	for _, c := range communes {
		g.add(Place{
			Level: LevelCommune, Code: c.Code, Name: c.Name, Type: c.Type,
			DistrictCode: c.DistrictCode, DistrictName: districtName[c.DistrictCode],
		}, bareName(c.Name, nil))
	}
	if len(inRoster) == 1 {
		for code := range inRoster {
			g.province = code
		}
	}
	for _, name := range provinceNames {
		n := bareName(name, nil)
		if !g.holds(n.fold, LevelProvince) {
			n.foreign = true
			g.add(Place{Level: LevelProvince, Name: name}, n)
		}
	}
	for i, n := range g.names {
		if n.place.Level == LevelCommune || len(n.fold) < 2 {
			continue
		}
		var b strings.Builder
		for _, w := range n.fold {
			b.WriteByte(w[0])
		}
		g.byInitials[b.String()] = append(g.byInitials[b.String()], int32(i))
		for _, alias := range aliases[strings.Join(n.fold, " ")] {
			g.byKey[alias] = append(g.byKey[alias], int32(i))
		}
	}
	return g
}

// holds reports whether the roster has a place of the level spelled so.
func (g *Gazetteer) holds(fold []string, level string) bool {
	for _, i := range g.byKey[strings.Join(fold, "")] {
		if g.names[i].place.Level == level && !g.names[i].foreign {
			return true
		}
	}
	return false
}

// provinceNames are the country's provinces and centrally-run cities
// (2020): a name among them the roster does not hold is a place it does
// not know, never words of a question and never the user's own area.
var provinceNames = []string{
	"Cần Thơ", "Hà Nội", "Hải Phòng", "Hồ Chí Minh", "Đà Nẵng", "An Giang", "Bà Rịa - Vũng Tàu", "Bình Dương",
	"Bình Phước", "Bình Thuận", "Bình Định", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Cao Bằng",
	"Cà Mau", "Gia Lai", "Hòa Bình", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hưng Yên", "Hải Dương", "Hậu Giang",
	"Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Long An", "Lào Cai", "Lâm Đồng", "Lạng Sơn", "Nam Định",
	"Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
	"Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Thanh Hóa", "Thái Bình", "Thái Nguyên", "Thừa Thiên Huế",
	"Tiền Giang", "Trà Vinh", "Tuyên Quang", "Tây Ninh", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Điện Biên",
	"Đắk Lắk", "Đắk Nông", "Đồng Nai", "Đồng Tháp",
}

// aliases are the names people give the centrally-run cities in short,
// without a type word: "HN còn mấy xã ...", "tp hcm".
var aliases = map[string][]string{
	"ha noi":      {"hn"},
	"ho chi minh": {"hcm", "tphcm", "sg", "saigon"},
	"hai phong":   {"hp"},
}

// bareName splits a name into its words without its type words
// ("Huyện", "Thành phố"), which it keeps apart as the name's prefix.
func bareName(name string, prefixes [][]string) placeName {
	ws := splitWords(name)
	n := placeName{toned: nameTones(name)}
	for _, w := range ws {
		n.fold = append(n.fold, w.fold)
		n.plain = append(n.plain, w.plain)
	}
	for _, prefix := range prefixes {
		if len(n.fold) > len(prefix) && equalWords(n.fold[:len(prefix)], prefix) {
			k := len(prefix)
			n.prefix = strings.Join(prefix, " ")
			n.fold, n.toned, n.plain = n.fold[k:], n.toned[k:], n.plain[k:]
			break
		}
	}
	return n
}

// communeWords are the type words that start a commune's name as users
// and change files write it.
var communeWords = [][]string{{"xa"}, {"phuong"}, {"thi", "tran"}}

// NameKey reduces a place's name to what two spellings of it share: folded,
// without the type words before it ("Huyện Đà Bắc", "xa dong chum"), the
// words joined without spaces ("tanlap" as "tan lap").
func NameKey(name string) string {
	n := bareName(name, append(append(append([][]string(nil), districtWords...), provinceWords...), communeWords...))
	return strings.Join(n.fold, "")
}

// ProvinceOf returns the province of a place: its own code for a
// province, "" when unknown.
func (g *Gazetteer) ProvinceOf(p Place) string {
	switch p.Level {
	case LevelProvince:
		return p.Code
	case LevelDistrict:
		return g.provinceOf[p.Code]
	case LevelCommune:
		return g.provinceOf[p.DistrictCode]
	}
	return ""
}

// Within reports whether place a lies inside place b (b itself excluded).
func (g *Gazetteer) Within(a, b Place) bool {
	switch b.Level {
	case LevelProvince:
		return a.Level != LevelProvince && g.ProvinceOf(a) == b.Code
	case LevelDistrict:
		return a.Level == LevelCommune && a.DistrictCode == b.Code
	}
	return false
}

func (g *Gazetteer) add(p Place, n placeName) {
	fold := n.fold
	if len(fold) == 0 || len(fold) != len(n.toned) {
		return
	}
	i := int32(len(g.names))
	n.place = p
	for _, w := range fold {
		n.letters += len(w)
	}
	n.key = strings.Join(fold, "")
	g.names = append(g.names, n)
	if p.Code != "" {
		g.byCode[p.Level+":"+p.Code] = i
	}
	g.byKey[n.key] = append(g.byKey[n.key], i)
	g.byFirst[fold[0]] = append(g.byFirst[fold[0]], i)
	g.maxWords = max(g.maxWords, len(fold))
	for _, w := range fold {
		if g.known[w] {
			continue
		}
		g.known[w] = true
		for _, d := range deletions(w) {
			g.words[d] = append(g.words[d], w)
		}
	}
}

// exact returns the names spelled by ws, folded, word for word or with
// the spaces left out.
func (g *Gazetteer) exact(ws []word) []int32 {
	// The key is built on the stack, and the lookup reads it without a
	// copy: this runs for many runs of words of every message.
	var buf [nameBytes]byte
	key := buf[:0]
	for _, w := range ws {
		key = append(key, w.fold...)
	}
	return g.byKey[string(key)]
}

// exactToks is exact(words(toks)) without the copy of the words: a
// repaired word is matched as typed (orig).
func (g *Gazetteer) exactToks(toks []token) []int32 {
	var buf [nameBytes]byte
	key := buf[:0]
	for _, t := range toks {
		if t.orig != "" {
			key = append(key, t.orig...)
		} else {
			key = append(key, t.fold...)
		}
	}
	return g.byKey[string(key)]
}

// suggestion is a name within a few typos of what the user wrote.
type suggestion struct {
	name  int32
	edits int
}

// fuzzy returns the names with as many words as span that differ from
// them by at most one edit per word and the typo bound in all, nearest
// first, at most maxSuggested of them; level, when set, keeps only that
// level. The words are matched as typed (a repaired word's orig).
//
// near caches, for each word of span, the name words within one typo of
// it: callers that try ever shorter spans from one word pass the same
// cache, nil entries filled as needed, instead of searching again; nil
// makes a cache for this call alone.
func (g *Gazetteer) fuzzy(span []token, level string, near []map[string]int) []suggestion {
	if len(span) == 0 || len(span) > g.maxWords {
		return nil
	}
	// The words within one typo of each of the user's words, with their
	// distance: a name is near when each of its words is.
	if near == nil {
		near = make([]map[string]int, len(span))
	}
	for k, t := range span {
		if near[k] == nil {
			near[k] = g.near(asTypedFold(t))
		}
	}
	var found []suggestion
	for first := range near[0] {
		for _, i := range g.byFirst[first] {
			n := &g.names[i]
			if len(n.fold) != len(span) || (level != "" && n.place.Level != level) {
				continue
			}
			edits, ok := 0, true
			for k := range span {
				e, in := near[k][n.fold[k]]
				if !in {
					ok = false
					break
				}
				edits += e
			}
			limit := maxEditsLong
			if n.letters <= shortName {
				limit = maxEditsShort
			}
			if ok && edits > 0 && edits <= limit {
				found = append(found, suggestion{name: i, edits: edits})
			}
		}
	}
	g.sortSuggestions(found)
	if len(found) > maxSuggested {
		found = found[:maxSuggested]
	}
	return found
}

// asTypedFold is a word's folded form as names are matched against it:
// as typed, before any repair.
func asTypedFold(t token) string {
	if t.orig != "" {
		return t.orig
	}
	return t.fold
}

// sortSuggestions orders suggestions nearest first, then by code; the
// sort is stable, so ties keep their order.
func (g *Gazetteer) sortSuggestions(found []suggestion) {
	slices.SortStableFunc(found, func(a, b suggestion) int {
		if a.edits != b.edits {
			return cmp.Compare(a.edits, b.edits)
		}
		return strings.Compare(g.names[a.name].place.Code, g.names[b.name].place.Code)
	})
}

// near returns the name words within one edit of w, w itself included
// when it is one, with their distance to w.
func (g *Gazetteer) near(w string) map[string]int {
	out := make(map[string]int)
	if len(w) > maxNameWord {
		// No name has such a word, and its deletions would cost the
		// square of its length.
		return out
	}
	// The deletions of w, w first, as deletions makes them, each built in
	// turn in a buffer on the stack and looked up without a copy.
	var buf [maxNameWord]byte
	for i := -1; i < len(w); i++ {
		d := append(buf[:0], w...)
		if i >= 0 {
			d = append(append(buf[:0], w[:i]...), w[i+1:]...)
		}
		for _, cand := range g.words[string(d)] {
			if _, seen := out[cand]; seen {
				continue
			}
			if e := osa(w, cand); e <= 1 {
				out[cand] = e
			}
		}
	}
	return out
}

// deletions returns w and every string made by deleting one of its bytes:
// two words within one edit of each other share one of these. Folded
// words are ASCII for Vietnamese; other scripts still work, only less
// tolerantly of typos.
func deletions(w string) []string {
	out := make([]string, 0, len(w)+1)
	out = append(out, w)
	for i := range len(w) {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

// osa is the optimal string alignment distance: insertions, deletions,
// substitutions and swaps of neighbours each count one.
func osa(a, b string) int {
	if a == b {
		return 0
	}
	// Three rows of the table; on the stack for words of names, which
	// are short.
	var rows [3 * (maxNameWord + 2)]int
	var prev2, prev, cur []int
	if n := len(b) + 1; 3*n <= len(rows) {
		prev2, prev, cur = rows[:n], rows[n:2*n], rows[2*n:3*n]
	} else {
		prev2, prev, cur = make([]int, n), make([]int, n), make([]int, n)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
