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

// foldASCII is Fold for the common case of text typed without any
// diacritic, without the cost of normalisation.
func foldASCII(s string) string {
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
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	for _, f := range fields {
		folded := Fold(f)
		if folded == "" {
			continue
		}
		// A word with odd letters can fold to several tokens; keep them
		// apart so that every token is one word.
		parts := strings.Split(folded, " ")
		toned := ""
		if len(parts) == 1 {
			toned = tonedKey(f)
		}
		for _, p := range parts {
			words = append(words, word{fold: iy(p), toned: toned, raw: f, plain: p})
		}
	}
	return words
}

// tonedKey returns the lower-case word with its tone mark moved to the
// end, or "" when the word carries no diacritic at all.
func tonedKey(w string) string {
	if isASCII(w) {
		return ""
	}
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
