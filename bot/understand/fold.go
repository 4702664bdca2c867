// Package understand turns the Vietnamese that commune, district and
// provincial police type on their phones into queries and reports: with or
// without diacritics, old or new tone placement, decomposed Unicode, upper
// case, the usual abbreviations (CA, TT, TP, cav, ...) and typos in place
// names. It does no I/O: the bot builds a Gazetteer from the roster once and
// calls Parse or ParseReport per message.
package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces s to the form every comparison in this package starts from:
// lower case, diacritics stripped (đ becomes d), so that tone placement
// (hoà/hòa) and NFC/NFD no longer matter; every run of characters that are
// not letters or digits becomes one space, with none at either end.
func Fold(s string) string {
	if isASCII(s) {
		return foldASCII(s)
	}
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldNormal(s)
}

// foldNormal is Fold by way of Unicode normalisation, for any text.
func foldNormal(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	// Invalid bytes would make NFD leave the next letters composed.
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, " ")) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = foldRune(r)
		if r == 0 {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}

// foldLatin is Fold for text of ASCII and precomposed Latin letters, as
// Vietnamese is typed, by way of the latin table instead of
// normalisation: it reports false for any other character (a combining
// mark, another script, an invalid byte), which foldNormal handles.
func foldLatin(s string) (string, bool) {
	var buf [64]byte // most messages fold within it, without an allocation
	b := buf[:0]
	gap := false
	for _, r := range s {
		var f rune
		if r < utf8.RuneSelf {
			f = rune(foldByte(byte(r)))
		} else if l, ok := latinOf(r); ok {
			f = l.fold
		} else {
			return "", false
		}
		if f == 0 {
			gap = true
			continue
		}
		if gap && len(b) > 0 {
			b = append(b, ' ')
		}
		gap = false
		b = utf8.AppendRune(b, f)
	}
	return string(b), true
}

// foldByte is foldRune for an ASCII character.
func foldByte(c byte) byte {
	switch {
	case 'A' <= c && c <= 'Z':
		return c + 'a' - 'A'
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return c
	}
	return 0
}

// foldASCII is Fold for the common case of text typed without any
// diacritic, without the cost of normalisation.
func foldASCII(s string) string {
	if isFolded(s) {
		return s // nothing to change: no need to copy
	}
	b := make([]byte, 0, len(s))
	gap := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			gap = true
			continue
		}
		if gap && len(b) > 0 {
			b = append(b, ' ')
		}
		gap = false
		b = append(b, c)
	}
	return string(b)
}

// isFolded reports whether s is lower-case ASCII letters and digits
// only, which Fold leaves as it is.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		if foldByte(s[i]) != s[i] {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// foldRune lowers a letter or digit that NFD has already stripped of its
// marks, and returns 0 for a separator. A lowered letter that would itself
// decompose is reduced again so that Fold stays idempotent.
func foldRune(r rune) rune {
	switch r {
	case 'đ', 'Đ':
		return 'd'
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return 0
	}
	l := unicode.ToLower(r)
	if l == r {
		return r
	}
	for _, d := range norm.NFD.String(string(l)) {
		if !unicode.Is(unicode.Mn, d) && (unicode.IsLetter(d) || unicode.IsDigit(d)) {
			return d
		}
	}
	return 0
}

// Vietnamese tone marks, as combining characters after NFD. The other marks
// (circumflex, breve, horn) belong to the vowel and stay in place.
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// word is one word of a message in the two forms the parser compares.
type word struct {
	fold string // Fold of the word, its i/y spelling unified (iy): always set
	// toned is the word in lower case with its tone mark moved to the end,
	// so that "hoà" and "hòa" agree while "thanh" and "thành" do not; empty
	// when the user typed the word without any diacritic.
	toned string
	raw   string // the word as typed
	plain string // Fold of the word with its own i or y: "mi" and "my" stay apart
	// orig is the word as folded before a repair mended a typing leftover
	// ("truongr"): names are matched against it, never against the guess.
	orig string
	// dotted: a full stop followed the word ("t. Thái Nguyên").
	dotted bool
	// name: the word begins a place's name with the next one ("ca mau"),
	// though it is also a short form.
	name bool
	// asTyped: the word has no diacritics in a message typed with them,
	// so it has none ("trong", not "trống"; Quang Minh, not Quảng Minh).
	asTyped bool
}

// splitWords cuts text into words at every character that is neither a
// letter, a digit nor a combining mark (so NFD input keeps its words
// whole), and folds each.
func splitWords(text string) []word {
	var words []word
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !inWord(r) }) {
		words = appendWords(words, f)
	}
	return words
}

// inWord reports whether r belongs to a word: a letter, a digit or a
// combining mark.
func inWord(r rune) bool {
	if r < utf8.RuneSelf {
		return foldByte(byte(r)) != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// appendWords appends the words of f, a run of letters, digits and
// combining marks, to words.
func appendWords(words []word, f string) []word {
	folded := Fold(f)
	if folded == "" {
		return words
	}
	if !strings.Contains(folded, " ") {
		return append(words, word{fold: iy(folded), toned: tonedKey(f), raw: f, plain: folded})
	}
	// A word with odd letters can fold to several tokens; keep them
	// apart so that every token is one word.
	for _, p := range strings.Split(folded, " ") {
		words = append(words, word{fold: iy(p), raw: f, plain: p})
	}
	return words
}

// tonedKey returns the lower-case word with its tone mark moved to the
// end, or "" when the word carries no diacritic at all.
func tonedKey(w string) string {
	if isASCII(w) {
		return ""
	}
	if k, ok := tonedLatin(w); ok {
		return k
	}
	return tonedNormal(w)
}

// tonedNormal is tonedKey by way of Unicode normalisation, for any word.
func tonedNormal(w string) string {
	var base strings.Builder
	var tone rune
	marked := false
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		switch {
		case isTone(r):
			tone = r
			marked = true
		case unicode.Is(unicode.Mn, r), r == 'đ':
			marked = true
			base.WriteRune(r)
		default:
			base.WriteRune(r)
		}
	}
	if !marked {
		return ""
	}
	key := iy(norm.NFC.String(base.String()))
	if tone != 0 {
		key += string(tone)
	}
	return key
}

// tonedLatin is tonedKey for a word of ASCII and precomposed Latin
// letters, by way of the latin table; it reports false for any other
// character, which tonedNormal handles.
func tonedLatin(w string) (string, bool) {
	var buf [64]byte
	b := buf[:0]
	var tone rune
	marked := false
	for _, r := range w {
		if r < utf8.RuneSelf {
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			continue
		}
		l, ok := latinOf(r)
		if !ok {
			return "", false
		}
		b = append(b, l.base...)
		if l.tone != 0 {
			tone = l.tone
		}
		marked = marked || l.marked
	}
	if !marked {
		return "", true
	}
	n := len(b) // the base ends here, the tone follows
	if tone != 0 {
		b = utf8.AppendRune(b, tone)
	}
	key := string(b)
	if base := iy(key[:n]); base != key[:n] {
		key = base + key[n:]
	}
	return key, true
}

// latinLetter is what Fold and tonedKey make of a precomposed Latin
// letter.
type latinLetter struct {
	fold rune // Fold's letter, 0 for a separator
	// base is the letter in lower case with its marks but the tone, in
	// NFC ("ư" for "Ừ"); tone is the tone mark, 0 for none.
	base   string
	tone   rune
	marked bool // any diacritic, or đ: a word with one has a toned key
	ok     bool // false: normalisation must decide (see newLatin)
}

// The blocks of Latin letters the latin table covers: Latin-1 Supplement,
// Latin Extended-A and -B, and Latin Extended Additional, which holds
// Vietnamese's letters with two marks.
const (
	latinLow, latinLowEnd   = 0x80, 0x250
	latinHigh, latinHighEnd = 0x1E00, 0x1F00
)

// latin holds latinLetter for the covered letters, the low block first.
var latin = func() []latinLetter {
	t := make([]latinLetter, 0, latinLowEnd-latinLow+latinHighEnd-latinHigh)
	for r := rune(latinLow); r < latinLowEnd; r++ {
		t = append(t, newLatin(r))
	}
	for r := rune(latinHigh); r < latinHighEnd; r++ {
		t = append(t, newLatin(r))
	}
	return t
}()

func latinOf(r rune) (latinLetter, bool) {
	switch {
	case latinLow <= r && r < latinLowEnd:
		l := latin[r-latinLow]
		return l, l.ok
	case latinHigh <= r && r < latinHighEnd:
		l := latin[latinLowEnd-latinLow+r-latinHigh]
		return l, l.ok
	}
	return latinLetter{}, false
}

// newLatin works out, with normalisation, what Fold and tonedKey make of
// r. The table may stand in for normalisation only where a word's
// normal forms are those of its letters one by one: where r, and r in
// lower case, decompose into a letter that starts a new segment and
// combines with nothing before it, followed by combining marks. Then no
// mark is reordered, and nothing composed, across two letters.
func newLatin(r rune) latinLetter {
	starts := func(d string) bool {
		first, size := utf8.DecodeRuneInString(d)
		if !norm.NFC.PropertiesString(d[:size]).BoundaryBefore() || unicode.Is(unicode.Mn, first) {
			return false
		}
		for _, m := range d[size:] {
			if !unicode.Is(unicode.Mn, m) {
				return false
			}
		}
		return true
	}
	d := norm.NFD.String(string(r))
	lower := norm.NFD.String(string(unicode.ToLower(r)))
	if !starts(d) || !starts(lower) {
		return latinLetter{}
	}
	first, _ := utf8.DecodeRuneInString(d)
	l := latinLetter{fold: foldRune(first), ok: true}
	var base strings.Builder
	for _, m := range lower {
		switch {
		case isTone(m):
			l.tone = m
			l.marked = true
		case unicode.Is(unicode.Mn, m), m == 'đ':
			l.marked = true
			base.WriteRune(m)
		default:
			base.WriteRune(m)
		}
	}
	l.base = norm.NFC.String(base.String())
	return l
}

// iy spells a syllable whose only vowel is y after a consonant with i
// instead: Mỹ and Mĩ, Kỳ and Kì, Lý and Lí, quý and quí are one spelling,
// old and new, of the same word. Words with other vowels keep their y
// ("huy", "tuyên", "yên").
func iy(w string) string {
	if len(w) < 2 || w[len(w)-1] != 'y' {
		return w
	}
	switch w[:len(w)-1] {
	case "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "nh", "p", "ph",
		"qu", "r", "s", "t", "th", "tr", "v", "x":
		return w[:len(w)-1] + "i"
	}
	return w
}

// nameTones returns the toned key of every word of a roster name, with
// tonedKey's "" for words without diacritics replaced by the plain word so
// that a name always has a key to compare with.
func nameTones(name string) []string {
	var keys []string
	for _, w := range splitWords(name) {
		if w.toned == "" {
			keys = append(keys, w.fold)
			continue
		}
		keys = append(keys, w.toned)
	}
	return keys
}
