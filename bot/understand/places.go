package understand

import (
	"strings"
	"unicode"

	"github.com/caxbot/caxbot/store"
)

// findPlaces finds the place names of a message and tags the other words
// with their cues. Names after a type word ("xã", "huyện", "tt") come
// first, since the type word vouches for them; then the phrases of the
// question; then bare names among the words left; then typos among what is
// still unexplained.
func (g *Gazetteer) findPlaces(toks []token) []mention {
	var ms []mention
	scan := func(match func([]token, int) (mention, bool)) {
		for i := 0; i < len(toks); {
			m, ok := match(toks, i)
			if !ok {
				i++
				continue
			}
			ms = append(ms, m)
			hold(toks, m, len(ms))
			i = m.end
		}
	}
	scan(g.afterTypeWord)
	tag(toks)
	scan(g.bare)
	scan(g.typo)
	g.qualify(ms)
	return ms
}

func hold(toks []token, m mention, id int) {
	for k := m.start; k < m.end; k++ {
		toks[k].mention = id
		toks[k].cue = 0
	}
}

// typeWordAt returns the level and commune type a type word at toks[i]
// says, and its length in words.
func typeWordAt(toks []token, i int) (string, store.CommuneType, int) {
	for _, pw := range placeWords {
		n := len(pw.words)
		if i+n > len(toks) {
			continue
		}
		match := true
		for k, w := range pw.words {
			if toks[i+k].fold != w || toks[i+k].mention != 0 {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		var ct store.CommuneType
		switch strings.Join(pw.words, " ") {
		case "xa":
			ct = store.Xa
		case "thi tran":
			ct = store.ThiTran
		case "phuong":
			ct = store.Phuong
		}
		return pw.level, ct, n
	}
	return "", "", 0
}

// afterTypeWord reads a name after a type word at toks[i]: the longest
// that matches the roster, or else, for a district or a commune, the
// unknown words there with the names nearest to them.
func (g *Gazetteer) afterTypeWord(toks []token, i int) (mention, bool) {
	level, ct, n := typeWordAt(toks, i)
	if n == 0 {
		return mention{}, false
	}
	j := i + n
	for k := min(g.maxWords, len(toks)-j); k >= 1; k-- {
		span := toks[j : j+k]
		names := g.filterLevel(g.exact(words(span)), level)
		if k == 1 {
			names = g.plainSingle(names, span[0])
		}
		if len(names) > 0 {
			return mention{start: i, end: j + k, level: level, ctype: ct, names: names, text: folded(span), tones: tones(span)}, true
		}
	}
	if level == LevelProvince {
		return mention{}, false
	}
	// The unknown name runs until the next word the questions use.
	end := j
	for end < len(toks) && end-j < g.maxWords && toks[end].mention == 0 && !isDigits(toks[end].fold) {
		if _, n := phraseAt(toks, end); n > 0 {
			break
		}
		if _, _, n := typeWordAt(toks, end); n > 0 {
			break
		}
		end++
	}
	if end == j {
		return mention{}, false
	}
	for k := end - j; k >= 1; k-- {
		if near := g.fuzzy(words(toks[j:j+k]), level); len(near) > 0 {
			return mention{start: i, end: j + k, level: level, ctype: ct, near: near, text: folded(toks[j : j+k])}, true
		}
	}
	return mention{start: i, end: end, level: level, ctype: ct, text: folded(toks[j:end])}, true
}

// bare reads a name of two words or more at toks[i] without a type word:
// among words that are unknown or mere courtesy, and at least one of them
// unknown, so that no phrase of the question is read as a place.
func (g *Gazetteer) bare(toks []token, i int) (mention, bool) {
	if !nameWord(toks[i]) {
		return mention{}, false
	}
	for k := min(g.maxWords, len(toks)-i); k >= 1; k-- {
		span := toks[i : i+k]
		ok, unknown := true, false
		for _, t := range span {
			ok = ok && nameWord(t)
			unknown = unknown || t.cue == 0
		}
		if !ok || !unknown {
			continue
		}
		var names []int32
		for _, n := range g.exact(words(span)) {
			if len(g.names[n].fold) > 1 {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			return mention{start: i, end: i + k, names: names, text: folded(span), tones: tones(span)}, true
		}
	}
	return mention{}, false
}

// typo reads two or more unknown words at toks[i] that are within a few
// typos of a name.
func (g *Gazetteer) typo(toks []token, i int) (mention, bool) {
	if !nameWord(toks[i]) {
		return mention{}, false
	}
	end := i
	for end < len(toks) && end-i < g.maxWords && nameWord(toks[end]) {
		end++
	}
	for k := end - i; k >= 2; k-- {
		span := toks[i : i+k]
		unknown := false
		for _, t := range span {
			unknown = unknown || t.cue == 0
		}
		if !unknown {
			continue
		}
		if near := g.fuzzy(words(span), ""); len(near) > 0 {
			return mention{start: i, end: i + k, near: near, text: folded(span)}, true
		}
	}
	return mention{}, false
}

// nameWord reports whether t may be part of a name found without a type
// word.
func nameWord(t token) bool {
	return t.mention == 0 && (t.cue == 0 || t.cue == cueFiller) && !isDigits(t.fold)
}

// plainSingle keeps a one-word name only when the word is not also a word
// of the questions ("còn", "bỏ"), unless the user typed its diacritics and
// they agree with the name's.
func (g *Gazetteer) plainSingle(names []int32, t token) []int32 {
	if _, common := phrases[t.fold]; !common {
		return names
	}
	var out []int32
	for _, n := range names {
		if len(g.names[n].fold) > 1 || (t.toned != "" && g.names[n].toned[0] == t.toned) {
			out = append(out, n)
		}
	}
	return out
}

func (g *Gazetteer) filterLevel(names []int32, level string) []int32 {
	if level == "" || level == LevelProvince {
		return names
	}
	var out []int32
	for _, n := range names {
		if g.names[n].place.Level == level {
			out = append(out, n)
		}
	}
	return out
}

// qualify narrows a name found in several districts by a district named
// next to it: "xã Cao Sơn huyện Đà Bắc", "Đà Bắc, Cao Sơn".
func (g *Gazetteer) qualify(ms []mention) {
	for a := range ms {
		for b := range ms {
			if a == b || ms[b].qualifier || ms[b].level == LevelCommune || ms[b].level == LevelProvince {
				continue
			}
			districts := make(map[string]bool)
			for _, n := range ms[b].names {
				if p := g.names[n].place; p.Level == LevelDistrict {
					districts[p.Code] = true
				}
			}
			var inside []int32
			for _, n := range ms[a].names {
				if p := g.names[n].place; p.Level == LevelCommune && districts[p.DistrictCode] {
					inside = append(inside, n)
				}
			}
			if len(inside) > 0 {
				ms[a].names = inside
				ms[b].qualifier = true
			}
		}
	}
}

// subject returns the place the question is about: the first name found
// that did not merely qualify another, or the places it could be when the
// words do not decide. communes says the question counts or lists
// communes, which only a district holds.
func (g *Gazetteer) subject(ms []mention, communes bool) (*Place, []Place) {
	for _, m := range ms {
		if m.qualifier || len(m.names) == 0 {
			continue
		}
		if m.level == LevelProvince {
			p := g.provincePlace()
			return &p, nil
		}
		names := g.byDiacritics(m)
		if m.ctype != "" {
			names = prefer(names, func(n int32) bool { return g.names[n].place.Type == m.ctype })
		}
		if communes {
			names = prefer(names, func(n int32) bool { return g.names[n].place.Level == LevelDistrict })
		}
		if len(names) == 1 {
			p := g.names[names[0]].place
			return &p, nil
		}
		places := make([]Place, len(names))
		for k, n := range names {
			places[k] = g.names[n].place
		}
		return nil, places
	}
	return nil, nil
}

// byDiacritics keeps the names whose diacritics agree with the words the
// user typed, when the user typed any diacritics in them: "Thành Sơn" is
// not "Thanh Sơn", though both fold to "thanh son".
func (g *Gazetteer) byDiacritics(m mention) []int32 {
	typed := false
	for _, t := range m.tones {
		typed = typed || t != ""
	}
	if !typed {
		return m.names
	}
	words := strings.Fields(m.text)
	return prefer(m.names, func(n int32) bool {
		name := g.names[n]
		if len(name.fold) != len(m.tones) {
			return false
		}
		for k, t := range m.tones {
			// A user who types diacritics types them all: a bare word
			// then means one without any.
			if t == "" {
				t = words[k]
			}
			if t != name.toned[k] {
				return false
			}
		}
		return true
	})
}

// prefer keeps the names that satisfy ok, unless none does.
func prefer(names []int32, ok func(int32) bool) []int32 {
	var out []int32
	for _, n := range names {
		if ok(n) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return names
	}
	return out
}

func words(toks []token) []word {
	ws := make([]word, len(toks))
	for i, t := range toks {
		ws[i] = t.word
	}
	return ws
}

func tones(toks []token) []string {
	ts := make([]string, len(toks))
	for i, t := range toks {
		ts[i] = t.toned
	}
	return ts
}

func folded(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.fold
	}
	return strings.Join(parts, " ")
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}
