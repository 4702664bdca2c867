package understand

import (
	"cmp"
	"slices"
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
	scan(g.titledUnknown)
	scan(g.unknownSubject)
	slices.SortStableFunc(ms, func(a, b mention) int { return cmp.Compare(a.start, b.start) })
	for i := range ms {
		for k := ms[i].start; k < ms[i].end; k++ {
			toks[k].mention = i + 1
			toks[k].typed = len(ms[i].levels) > 0
		}
	}
	g.qualify(toks, ms)
	return ms
}

// mention is a place name found in the message.
type mention struct {
	start, end int      // tokens [start, end), the type word included
	levels     []string // the levels the type word allows; none without one
	ctype      store.CommuneType
	names      []int32 // exact matches
	near       []suggestion
	text       string   // the name's words, folded
	raw        string   // the same words as typed
	tones      []string // the same words' toned keys, "" where typed without diacritics
	plain      []string // the same words' letters, i and y as typed
	prefix     string   // the type word of a district or province, folded
	// qualifier says the mention narrowed another ("xã Tân Lập huyện Lạc
	// Sơn"): it is not a place asked about.
	qualifier bool
	// within is the place a qualifier said the name lies in, when no name
	// of that place matched: "xã Tân Lập huyện Kim Bôi".
	within *Place
}

func hold(toks []token, m mention, id int) {
	for k := m.start; k < m.end; k++ {
		toks[k].mention = id
		toks[k].cue = 0
	}
}

// typeWordAt returns the levels and commune type a type word at toks[i]
// allows, and its length in words.
func typeWordAt(toks []token, i int) ([]string, store.CommuneType, int) {
	levels, ct, _, n := typeWordOf(toks, i)
	return levels, ct, n
}

// typeWordOf is typeWordAt with the type word itself, folded.
func typeWordOf(toks []token, i int) ([]string, store.CommuneType, string, int) {
	for _, tw := range typeWords {
		n := len(tw.words)
		if i+n > len(toks) {
			continue
		}
		match := true
		for k, w := range tw.words {
			t := toks[i+k]
			if t.fold != w || t.mention != 0 || t.toned != "" && t.toned != tw.toned[k] {
				match = false
				break
			}
		}
		if match {
			return tw.levels, tw.ctype, tw.phrase, n
		}
	}
	return nil, "", "", 0
}

// afterTypeWord reads a name after a type word at toks[i]: the longest
// that matches the roster, or a code, or else the unknown words there
// with the names nearest to them.
func (g *Gazetteer) afterTypeWord(toks []token, i int) (mention, bool) {
	levels, ct, prefix, n := typeWordOf(toks, i)
	if n == 0 {
		return mention{}, false
	}
	j := i + n
	if _, _, m := typeWordAt(toks, j); m > 0 && !g.nameAt(toks, j, levels) || j < len(toks) && (toks[j].brk != 0 || toks[j].grp != 0) {
		// "TCAX xã Ia Pia": the abbreviation's "xã", then the place's
		// own; "ptcax, cav": no name after punctuation or a short form.
		// But "xa Phuong Vi" is xã Phượng Vĩ.
		return mention{}, false
	}
	for k := i; k < j; k++ {
		if toks[k].asTyped && titled(toks[k]) && !typeWordTyped(toks[k]) {
			// "Quan Hóa", "Nho Quan": a name's word typed without the
			// diacritics a type word would have: a type word only before
			// a name it matches.
			// (No word after it, at the message's end: no name either.)
			if !g.nameAt(toks, j, levels) && (j == len(toks) || len(g.spanNames(toks[j:j+1], levels)) == 0) {
				return mention{}, false
			}
		}
	}
	if j+1 < len(toks) && isDigits(toks[j+1].fold) && (toks[j].fold == "ma" || toks[j].fold == "so") ||
		j+2 < len(toks) && isDigits(toks[j+2].fold) && toks[j].fold == "co" && toks[j+1].fold == "ma" {
		// "tỉnh có mã 99", "xã mã 05287": a code.
		for toks[j].fold == "co" || toks[j].fold == "ma" || toks[j].fold == "so" {
			j++
		}
	}
	for k := min(g.maxWords, nameRun(toks, j)-j); k >= 1; k-- {
		span := toks[j : j+k]
		names := g.spanNames(span, levels)
		if k == 1 && startsPhrase(toks, j) {
			// "xã bố trí" is no xã Bo, unless its diacritics spell it.
			names = slices.DeleteFunc(names, func(n int32) bool { return !tonesAgree(span, g.names[n].toned) })
		} else if k == 1 && len(names) == 0 && span[0].toned == "" && (!functionWords[span[0].fold] || span[0].asTyped) {
			// "thi tran voi": a one-word name that is a word of the
			// questions too, after its type word.
			names = g.filterLevels(g.exactToks(span), levels)
		}
		if len(names) > 0 && j+k < len(toks) && titled(toks[j+k]) && toks[j+k].brk == 0 && !vocabWords[toks[j+k].fold] &&
			!g.startsName(toks, j+k) {
			// "X. Thanh Nông": a longer name typed as one, not xã Thanh
			// and a word after it.
			break
		}
		if len(names) > 0 {
			return mention{start: i, end: j + k, levels: levels, ctype: ct, prefix: prefix, names: names, text: folded(span),
				raw: rawText(span), tones: tones(span), plain: plains(span)}, true
		}
	}
	if _, pn := phraseAt(toks, i); pn > n {
		// "tình hình", "tỉnh nào", "xã tôi": a phrase, not a type word.
		return mention{}, false
	}
	if j < len(toks) && isInitials(toks[j]) {
		// "TP HB", "tỉnh BRVT": a name's initials, typed in capitals.
		if names := g.filterLevels(g.byInitials[toks[j].fold], levels); len(names) > 0 {
			return mention{start: i, end: j + 1, levels: levels, ctype: ct, prefix: prefix, names: names, text: toks[j].fold, raw: toks[j].raw}, true
		}
	}
	if j < len(toks) && isDigits(toks[j].fold) {
		// A code: "xã 05287", "huyện 157".
		code := toks[j].fold
		for _, l := range levels {
			if idx, ok := g.byCode[l+":"+code]; ok {
				return mention{start: i, end: j + 1, levels: levels, ctype: ct, names: []int32{idx}, text: code, raw: code}, true
			}
		}
		if len(code) >= 2 {
			return mention{start: i, end: j + 1, levels: levels, ctype: ct, text: code, raw: code}, true
		}
		return mention{}, false
	}
	// The unknown name runs until the next word the questions use; its
	// first word may be one ("xã Từ Lý" typed "xa tu lyy").
	end := j
	if _, n := phraseAt(toks, j); n == 1 && j+1 < len(toks) && toks[j+1].brk == 0 && unknownWord(toks[j+1]) &&
		(!g.startsName(toks, j+1) || !functionWords[toks[j].fold]) {
		// "huyen moc hoa": a word of the questions, then a name's, after a
		// type word: a name, unless the first is grammar ("xã có Tân
		// Lập", "huyện nào").
		end = j + 1
	} else if n == 1 && !slices.Contains(levels, "commune") && j+1 < len(toks) && toks[j+1].brk == 0 && toks[j+1].grp == 0 &&
		!functionWords[toks[j].fold] && !functionWords[toks[j+1].fold] && g.known[toks[j].fold] && g.known[toks[j+1].fold] &&
		!startsPhrase(toks, j) && !startsPhrase(toks, j+1) && !g.startsName(toks, j+1) {
		// "huyen moc hoa": two syllables of names after "huyện", whatever
		// else they may spell.
		end = j + 2
	}
	for end < len(toks) && end-j < g.maxWords && toks[end].mention == 0 && !isDigits(toks[end].fold) {
		if _, n := phraseAt(toks, end); n > 0 && !(end > j && titled(toks[end])) &&
			!(end == j && titled(toks[end]) && end+1 < len(toks) && toks[end+1].brk == 0 && (titled(toks[end+1]) || unknownWord(toks[end+1]))) {
			// A capitalised word goes on with a name ("tỉnh Sơn La"),
			// or starts one that goes on ("huyen Moc Hoa").
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
	level := ""
	if len(levels) == 1 {
		level = levels[0]
	}
	near := make([]map[string]int, end-j) // the same words for each k
	for k := end - j; k >= 1; k-- {
		if near := g.fuzzy(toks[j:j+k], level, near[:k]); len(near) > 0 {
			return mention{start: i, end: j + k, levels: levels, ctype: ct, near: near, text: folded(toks[j : j+k]), raw: rawText(toks[j : j+k])}, true
		}
	}
	return mention{start: i, end: end, levels: levels, ctype: ct, text: folded(toks[j:end]), raw: rawText(toks[j:end])}, true
}

// functionWords are words of grammar that follow a type word without
// starting a name: "xã nào", "xã có", "huyện còn".
var functionWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields("nao co con cua da chua nay do minh toi em ta nha ban thi la duoc bi voi va hay hoac o trong thuoc dang van cung ma deu nua nhu tai tren duoi khong ko chi moi cac nhung hien nhieu it nhat may bao so tong hoi") {
		m[w] = true
	}
	return m
}()

// nameAt reports whether a name of the levels starts at toks[j].
func (g *Gazetteer) nameAt(toks []token, j int, levels []string) bool {
	for k := min(g.maxWords, nameRun(toks, j)-j); k >= 2; k-- {
		if len(g.spanNames(toks[j:j+k], levels)) > 0 {
			return true
		}
	}
	return false
}

// isInitials reports whether a word was typed as a name's initials: two
// to four capitals.
func isInitials(t token) bool {
	r := []rune(t.raw)
	return len(r) >= 2 && len(r) <= 4 && strings.ToUpper(t.raw) == t.raw && strings.ToLower(t.raw) != t.raw && t.orig == "" && t.grp == 0
}

// titled reports whether a word was typed with a capital and the rest in
// lower case, as names are in a sentence that is not all capitals.
func titled(t token) bool {
	r := []rune(t.raw)
	return len(r) > 1 && unicode.IsUpper(r[0]) && strings.ToLower(string(r[1:])) == string(r[1:])
}

// nameRun is where a name that starts at toks[j] must end: at
// punctuation, or at a short form's expansion.
func nameRun(toks []token, j int) int {
	end := j
	for end < len(toks) && toks[end].grp == 0 && (end == j || toks[end].brk == 0) {
		end++
	}
	return end
}

// startsName reports whether the words at toks[i] begin some place's
// name: then they are another place ("xã Tân Lập Lạc Sơn"), not the end
// of the name before.
func (g *Gazetteer) startsName(toks []token, i int) bool {
	for k := min(g.maxWords, len(toks)-i); k >= 1; k-- {
		if len(g.exactToks(toks[i:i+k])) > 0 {
			return true
		}
	}
	return false
}

// unknownWord reports whether t is no word of the questions, no number
// and no place found yet.
func unknownWord(t token) bool {
	if t.orig != "" {
		return t.mention == 0 // a repaired word may have been a name's
	}
	return t.mention == 0 && !vocabWords[t.fold] && len(byTyped[t.fold]) == 0 && !isDigits(t.fold)
}

// spanNames returns the names of the given levels the words of span
// spell. Words of the questions are not read as a name that only their
// letters spell ("xã chưa": not Chư Á), and a one-word name that is
// also a word of the questions only when its diacritics were typed.
func (g *Gazetteer) spanNames(span []token, levels []string) []int32 {
	names := g.filterLevels(g.exactToks(span), levels)
	vocab := false
	for _, t := range span {
		vocab = vocab || vocabWords[t.fold]
	}
	var out []int32
	for _, n := range names {
		name := g.names[n]
		if vocab && len(name.fold) != len(span) && !tonesAgree(span, name.toned) {
			continue
		}
		out = append(out, n)
	}
	if len(span) == 1 {
		out = g.plainSingle(out, span[0])
	}
	return out
}

// startsPhrase reports whether a phrase of two words or more of the
// questions starts at toks[i]: "xã bố trí" is no xã Bo.
func startsPhrase(toks []token, i int) bool {
	var keyBuf [phraseBytes]byte
	var tonedBuf [phraseWords]string
	key, ts := keyBuf[:0], tonedBuf[:0]
	for k := 0; k < maxPhrase && i+k < len(toks); k++ {
		if k > 0 {
			key = append(key, ' ')
		}
		key = append(key, toks[i+k].fold...)
		ts = append(ts, toks[i+k].toned)
		if _, ok := reading(key, ts); ok && k > 0 {
			return true
		}
	}
	return false
}

// typeWordTyped reports whether a type word is one typed without
// diacritics as a rule ("xa", "huyen" in "xa Tân Lập"): any but a
// capitalised one inside a name.
func typeWordTyped(t token) bool {
	return !titled(t)
}

// allTitled reports whether every word was typed with a capital.
func allTitled(span []token) bool {
	for _, t := range span {
		r := []rune(t.raw)
		if len(r) == 0 || !unicode.IsUpper(r[0]) || t.grp != 0 {
			return false
		}
	}
	return true
}

// inPhrase reports whether a phrase of two words or more of the
// questions, its diacritics agreeing, covers any of toks[from:to].
func inPhrase(toks []token, from, to int) bool {
	for s := max(0, from-maxPhrase+1); s < to; s++ {
		if _, n := phraseAt(toks, s); n >= 2 && s+n > from {
			return true
		}
	}
	return false
}

// tonesAgreeTyped reports whether the words spell the toned name word by
// word: a word with diacritics as the name writes it, one without only
// where the name's has none.
func tonesAgreeTyped(span []token, toned []string) bool {
	if len(span) != len(toned) {
		return false
	}
	marked := false
	for k, t := range span {
		switch {
		case t.toned != "":
			if t.toned != toned[k] {
				return false
			}
			marked = true
		case toned[k] != t.fold:
			return false
		}
		marked = marked || t.asTyped
	}
	return marked
}

// joinedEqual reports whether a and b, each joined without spaces, are
// the same text, without joining them.
func joinedEqual(a, b []string) bool {
	n := 0
	for _, s := range a {
		n += len(s)
	}
	for _, s := range b {
		n -= len(s)
	}
	if n != 0 {
		return false
	}
	k, off := 0, 0 // the part of b compared next
	for _, s := range a {
		for len(s) > 0 {
			for off == len(b[k]) {
				k, off = k+1, 0
			}
			m := min(len(s), len(b[k])-off)
			if s[:m] != b[k][off:off+m] {
				return false
			}
			s, off = s[m:], off+m
		}
	}
	return true
}

// tonesAgree reports whether words typed with diacritics spell the toned
// name, glued or not: "Chư Á" is not "chưa".
func tonesAgree(span []token, toned []string) bool {
	var buf [8]string // on the stack for a name's words
	typed := buf[:0]
	for _, t := range span {
		if t.toned == "" {
			return false
		}
		typed = append(typed, t.toned)
	}
	return joinedEqual(typed, toned)
}

// bare reads a name of two words or more at toks[i] without a type word:
// among words that are unknown or mere courtesy, and at least one of them
// unknown, so that no phrase of the question is read as a place.
func (g *Gazetteer) bare(toks []token, i int) (mention, bool) {
	// A particle that ends questions ("hả", "chứ") is a name's word
	// before other words: "thanh ha con bao nhieu".
	inner := func(t token, k int) bool {
		return nameWord(t) || k+1 < len(toks) && toks[k+1].brk == 0 && t.mention == 0 && t.cue&^(weakCues|cueTail) == 0 && t.grp == 0
	}
	if toks[i].mention != 0 || toks[i].grp != 0 {
		return mention{}, false
	}
	// A name typed with its capitals and its diacritics is the name,
	// whatever its words say to the question ("Quý Hòa", "Nam Sách"),
	// unless they are a phrase of it ("Thống Nhất số liệu").
	for k := min(g.maxWords, nameRun(toks, i)-i); k >= 2; k-- {
		span := toks[i : i+k]
		if !allTitled(span) || inPhrase(toks, i, i+k) {
			continue
		}
		var names []int32
		for _, n := range g.exactToks(span) {
			if len(g.names[n].fold) == k && tonesAgreeTyped(span, g.names[n].toned) {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			return mention{start: i, end: i + k, names: names, text: folded(span), raw: rawText(span), tones: tones(span), plain: plains(span)}, true
		}
	}
	if !inner(toks[i], i) {
		return mention{}, false
	}
	// A name's words that are all courtesy words, as the subject that
	// starts the question: "Van Ho con bao nhieu ...".
	start := i == 0 || toks[i].brk != 0
	for k := min(g.maxWords, nameRun(toks, i)-i); k >= 1; k-- {
		span := toks[i : i+k]
		ok, unknown := true, false
		for m, t := range span {
			ok = ok && inner(t, i+m)
			unknown = unknown || t.cue == 0
		}
		subject := start && k >= 2 && i+k < len(toks) && toks[i+k].cue != 0 && !startsPhrase(toks, i)
		if !ok || !unknown && !subject {
			continue
		}
		var names []int32
		for _, n := range g.exactToks(span) {
			if len(g.names[n].fold) > 1 {
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			return mention{start: i, end: i + k, names: names, text: folded(span), raw: rawText(span), tones: tones(span), plain: plains(span)}, true
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
	for end < nameRun(toks, i) && end-i < g.maxWords && nameWord(toks[end]) {
		end++
	}
	var near []map[string]int // the same words for each k
	for k := end - i; k >= 2; k-- {
		span := toks[i : i+k]
		unknown := 0
		for _, t := range span {
			if t.cue == 0 {
				unknown++
			}
		}
		// Ordinary words ("anh", "bên") do not make a typo of a name.
		if unknown < k {
			continue
		}
		if near == nil {
			near = make([]map[string]int, k)
		}
		if near := g.fuzzy(span, "", near[:k]); len(near) > 0 {
			return mention{start: i, end: i + k, near: near, text: folded(span), raw: rawText(span)}, true
		}
	}
	return mention{}, false
}

// titledUnknown reads two or more words typed with capitals, one at
// least no word of the questions, as a name the roster does not have
// ("Đồng Xanh có bao nhiêu ..."): not found, never the user's own place.
// A person's name after "tôi là", "đồng chí" is no place.
func (g *Gazetteer) titledUnknown(toks []token, i int) (mention, bool) {
	if !nameWord(toks[i]) || !titled(toks[i]) || i > 0 && toks[i].brk == 0 && toks[i-1].cue&(cueIntro|cuePeople|cueGreeting) != 0 {
		return mention{}, false
	}
	end, unknown := i, false
	for end < nameRun(toks, i) && end-i < g.maxWords && nameWord(toks[end]) && titled(toks[end]) {
		unknown = unknown || unknownWord(toks[end])
		end++
	}
	if end-i < 2 || !unknown {
		return mention{}, false
	}
	span := toks[i:end]
	return mention{start: i, end: end, near: g.fuzzy(span, "", nil), text: folded(span), raw: rawText(span)}, true
}

// unknownSubject reads two or more words that are no words of the
// questions, where a place stands (the clause's start, after "ở", "của",
// "tại", "thuộc") before words of a question, as a name the roster does
// not have: "kim xuan co bao nhieu xa ..." is not the user's own place.
func (g *Gazetteer) unknownSubject(toks []token, i int) (mention, bool) {
	if i > 0 && toks[i].brk == 0 {
		switch toks[i-1].fold {
		case "o", "cua", "tai", "thuoc":
		default:
			return mention{}, false
		}
	}
	end := i
	for end < nameRun(toks, i) && end-i < g.maxWords && toks[end].mention == 0 && toks[end].cue == 0 &&
		toks[end].grp == 0 && len(toks[end].fold) >= 2 && !isDigits(toks[end].fold) && unknownWord(toks[end]) {
		end++
	}
	if end-i < 2 || end >= len(toks) || toks[end].cue == 0 && toks[end].mention == 0 {
		return mention{}, false
	}
	span := toks[i:end]
	return mention{start: i, end: end, near: g.fuzzy(span, "", nil), text: folded(span), raw: rawText(span)}, true
}

// weakCues are what words common in names say ("cao", "nhất", "tốt"):
// such a word may still be part of a name found without a type word.
const weakCues = cueFiller | cueMany | cueFew | cueSuper

// nameWord reports whether t may be part of a name found without a type
// word.
func nameWord(t token) bool {
	return t.mention == 0 && t.cue&^weakCues == 0 && !isDigits(t.fold) && t.grp == 0
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

func (g *Gazetteer) filterLevels(names []int32, levels []string) []int32 {
	if len(levels) == 0 {
		return names
	}
	var out []int32
	for _, n := range names {
		if slices.Contains(levels, g.names[n].place.Level) {
			out = append(out, n)
		}
	}
	return out
}

// qualify narrows a name by a larger place named next to it: "xã Cao Sơn
// huyện Đà Bắc", "Đà Bắc, Cao Sơn", "huyện Tân Lạc tỉnh Hòa Bình". When no
// reading of the name lies in the larger place, the name is not found
// there: it keeps no reading, and says where it was looked for.
func (g *Gazetteer) qualify(toks []token, ms []mention) {
	for b := range ms {
		outer := g.candidates(ms[b])
		if len(outer) == 0 || ms[b].qualifier {
			continue
		}
		for _, a := range []int{b - 1, b + 1} {
			if a < 0 || a >= len(ms) || !adjacent(toks, ms, a, b) {
				continue
			}
			inner := ms[a]
			if len(inner.names) == 0 && len(inner.near) == 0 {
				continue
			}
			// The larger place must be of a higher level than every
			// reading of the inner name that could lie in it.
			var bigger []Place
			for _, p := range outer {
				if p.Level != LevelCommune && g.higherThanAll(p, inner) {
					bigger = append(bigger, p)
				}
			}
			if len(bigger) == 0 {
				continue
			}
			var inside []int32
			for _, n := range inner.names {
				for _, p := range bigger {
					if g.Within(g.names[n].place, p) {
						inside = append(inside, n)
						break
					}
				}
			}
			var near []suggestion
			for _, s := range inner.near {
				for _, p := range bigger {
					if g.Within(g.names[s.name].place, p) {
						near = append(near, s)
						break
					}
				}
			}
			switch {
			case len(inside) > 0:
				ms[a].names, ms[a].near = inside, nil
			case len(inner.names) > 0 && len(bigger) == 1:
				// Named, but not there: never answer for the one elsewhere.
				ms[a].names, ms[a].near = nil, g.fuzzyWithin(inner.text, bigger[0])
				ms[a].within = &bigger[0]
			case len(near) > 0:
				ms[a].near = near
			default:
				continue
			}
			ms[b].qualifier = true
			break
		}
	}
}

// higherThanAll reports whether p is of a higher level than each reading
// of m: a district qualifies communes, a province districts and communes.
func (g *Gazetteer) higherThanAll(p Place, m mention) bool {
	rank := map[string]int{LevelCommune: 0, LevelDistrict: 1, LevelProvince: 2}
	for _, n := range m.names {
		if rank[g.names[n].place.Level] >= rank[p.Level] {
			return false
		}
	}
	return true
}

// adjacent reports whether mentions a and b stand next to each other,
// or with only a word saying where between them ("thuộc", "của", "ở").
func adjacent(toks []token, ms []mention, a, b int) bool {
	lo, hi := ms[min(a, b)].end, ms[max(a, b)].start
	for k := lo; k < hi; k++ {
		switch toks[k].fold {
		case "thuoc", "cua", "o", "tai", "trong", "ben":
		default:
			return false
		}
	}
	return true
}

// fuzzyWithin returns the names inside place p nearest to the words, for
// a name that a qualifier says is in p and is not.
func (g *Gazetteer) fuzzyWithin(text string, p Place) []suggestion {
	return g.nearest(strings.Fields(text), func(c Place) bool { return g.Within(c, p) }, maxSuggested, true)
}

// candidates returns the readings of a mention once what the user typed
// has narrowed them: the diacritics typed, the type word's commune type.
func (g *Gazetteer) candidates(m mention) []Place {
	names := g.byDiacritics(m)
	foreign := func(n int32) bool { return g.names[n].foreign }
	if slices.ContainsFunc(names, foreign) {
		// names may be m.names itself: delete from a copy.
		names = slices.DeleteFunc(slices.Clone(names), foreign)
	}
	if m.ctype != "" {
		names = prefer(names, func(n int32) bool { return g.names[n].place.Type == m.ctype })
	}
	if m.prefix != "" {
		// "thành phố Hòa Bình" is the city, not the province.
		names = prefer(names, func(n int32) bool { return g.names[n].prefix == m.prefix })
	}

	places := make([]Place, len(names))
	for k, n := range names {
		places[k] = g.names[n].place
	}
	return places
}

// subject returns the place a message is about: the first name found
// that did not merely qualify another, or the places it could be when the
// words do not decide. communes says the question counts or lists
// communes, which only a district holds.
func (g *Gazetteer) subject(ms []mention, communes bool) (*Place, []Place) {
	for _, m := range ms {
		if m.qualifier || len(m.names) == 0 {
			continue
		}
		places := g.candidates(m)
		if communes {
			places = preferPlaces(places, func(p Place) bool { return p.Level == LevelDistrict })
		}
		if len(places) == 1 {
			return &places[0], nil
		}
		return nil, places
	}
	return nil, nil
}

// Resolve decides which of a mention's readings the user meant, among
// those keep allows (nil: all): one reading; or, when the others all lie
// inside the largest one ("Mai Châu": the district and its seat town),
// the largest, the others offered as alternatives; or else none, the
// readings left being ambiguous.
func (g *Gazetteer) Resolve(m Mention, keep func(Place) bool) (place *Place, alternatives, ambiguous []Place) {
	var cands []Place
	for _, p := range m.Candidates {
		if keep == nil || keep(p) {
			cands = append(cands, p)
		}
	}
	switch len(cands) {
	case 0:
		return nil, nil, nil
	case 1:
		return &cands[0], nil, nil
	}
	top := cands[0]
	rank := map[string]int{LevelCommune: 0, LevelDistrict: 1, LevelProvince: 2}
	for _, p := range cands[1:] {
		if rank[p.Level] > rank[top.Level] {
			top = p
		}
	}
	for _, p := range cands {
		if p != top && !g.Within(p, top) {
			return nil, nil, cands
		}
		if top.Level == LevelProvince && p.Level == LevelDistrict {
			// "Hòa Bình": the province or its city, two answers apart.
			return nil, nil, cands
		}
	}
	for _, p := range cands {
		if p != top {
			alternatives = append(alternatives, p)
		}
	}
	return &top, alternatives, nil
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
		return g.byLetters(m.names, m)
	}
	var words []string // m.text's words, split when first needed
	names := prefer(m.names, func(n int32) bool {
		name := g.names[n]
		if len(name.fold) != len(m.tones) {
			return false
		}
		for k, t := range m.tones {
			// A user who types diacritics types them all: a bare word
			// then means one without any.
			if t == "" {
				if words == nil {
					words = strings.Fields(m.text)
				}
				t = words[k]
			}
			if t != name.toned[k] {
				return false
			}
		}
		return true
	})
	return g.byLetters(names, m)
}

// byLetters keeps, among names spelled alike once i and y are one
// letter, those whose i or y is the one typed: "mi hoa" is Mi Hòa, "my
// hoa" Mỹ Hòa, where a roster has both.
func (g *Gazetteer) byLetters(names []int32, m mention) []int32 {
	if len(names) < 2 || len(m.plain) == 0 {
		return names
	}
	return prefer(names, func(n int32) bool {
		return joinedEqual(g.names[n].plain, m.plain)
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

func preferPlaces(places []Place, ok func(Place) bool) []Place {
	var out []Place
	for _, p := range places {
		if ok(p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return places
	}
	return out
}

// Nearest returns up to n names of the level (any when empty) that keep
// allows, nearest to text first: what to offer for a name the roster
// does not know, however far it is, from the user's own area.
func (g *Gazetteer) Nearest(text, level string, keep func(Place) bool, n int) []Place {
	ok := func(p Place) bool { return (level == "" || p.Level == level) && (keep == nil || keep(p)) }
	var out []Place
	for _, s := range g.nearest(strings.Fields(iyWords(Fold(text))), ok, n, false) {
		out = append(out, g.names[s.name].place)
	}
	return out
}

func iyWords(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		ws[i] = iy(w)
	}
	return strings.Join(ws, " ")
}

// nearest ranks every name keep allows by its distance to the words,
// glued, and returns the first n; bounded keeps only those within the
// typo bound of the name's length.
func (g *Gazetteer) nearest(ws []string, keep func(Place) bool, n int, bounded bool) []suggestion {
	typed := strings.Join(ws, "")
	if typed == "" || len(typed) > 64 {
		return nil
	}
	var found []suggestion
	for i := range g.names {
		name := &g.names[i]
		if !keep(name.place) {
			continue
		}
		d := osa(typed, name.key)
		if bounded && d > max(maxEditsLong, name.letters/3) {
			continue
		}
		found = append(found, suggestion{name: int32(i), edits: d})
	}
	g.sortSuggestions(found)
	if len(found) > n {
		found = found[:n]
	}
	return found
}

// words returns the words of tokens as names are matched against them:
// as typed, before any repair.
func words(toks []token) []word {
	ws := make([]word, len(toks))
	for i, t := range toks {
		ws[i] = t.word
		if t.orig != "" {
			ws[i].fold, ws[i].toned = t.orig, ""
		}
	}
	return ws
}

func plains(toks []token) []string {
	ps := make([]string, len(toks))
	for i, t := range toks {
		ps[i] = t.plain
	}
	return ps
}

func tones(toks []token) []string {
	ts := make([]string, len(toks))
	for i, t := range toks {
		ts[i] = tonedOf(t)
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
