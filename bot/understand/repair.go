package understand

import "strings"

// isKnown reports whether a folded word is one the parser reads: a word
// of the vocabulary or of a place's name, a short form, a number.
func (g *Gazetteer) isKnown(w string) bool {
	return vocabWords[w] || g.known[w] || len(byTyped[w]) > 0 || isDigits(w) || romans[w] > 0
}

// repair mends a word the parser does not know when it is a known word
// with typing leftovers: VNI digits ("tru7o7ng"), Telex letters
// ("truongr", "chinhs", "phos", "xax", "truwowngf"), doubled letters
// ("truongg"), or two words glued together ("baonhieu", "chinhquy").
// It returns nil when the word is known or beyond repair. Only words of
// the questions are mended: a place name typed wrong gets the nearest
// names to choose from, never a guess.
//
// telex says the message shows Telex keys elsewhere: then doubled vowels
// are keys too ("Taan Vinh" beside "conf"). keyed reports that the word
// was mended from keys, which tells that of the message.
func (g *Gazetteer) repair(w word, telex bool) (out []word, keyed bool) {
	if g.isKnown(w.fold) || len(w.fold) > maxNameWord || len(w.fold) < 2 {
		return nil, false
	}
	// A word of the questions mended is a guess at a word: a place's name
	// is matched against the word as typed (orig). Telex and VNI leftovers
	// are no guess: keystrokes read back, for names too.
	mend := func(s string, keys bool) []word {
		s = iy(s)
		switch {
		case s == w.fold:
		case keys && g.known[s]:
			keyed = true
			return []word{{fold: s, raw: w.raw, plain: s}}
		case keys && (vocabWords[s] || len(byTyped[s]) > 0):
			keyed = true
			return []word{{fold: s, raw: w.raw, plain: s}}
		case vocabWords[s] || len(byTyped[s]) > 0:
			return []word{{fold: s, raw: w.raw, plain: s, orig: w.fold}}
		}
		return nil
	}
	f := w.fold
	if letters, digits := countClasses(f); letters > 0 && digits > 0 {
		// VNI: the marks are digits after the letter they go on.
		if r := mend(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return -1
			}
			return r
		}, f), true); r != nil {
			return r, keyed
		}
	}
	tx := telexLetters.Replace(f)
	// Only keys no name has ("w", "dd", a tone letter at the end) tell
	// Telex from a doubled letter ("kiaa"), which is a typo, unless the
	// message shows Telex elsewhere.
	keys := telex || strings.ContainsAny(f, "w") || strings.Contains(f, "dd")
	// Keys read back first, then doubled letters, which are a guess.
	for _, c := range []string{f, tx} {
		if r := mend(c, c != f && keys); r != nil {
			return r, keyed
		}
		if n := len(c); n > 2 && strings.ContainsRune("sfrxj", rune(c[n-1])) {
			if r := mend(c[:n-1], true); r != nil {
				return r, keyed
			}
		}
	}
	for _, c := range []string{f, tx} {
		if n := len(c); n > 2 && strings.ContainsRune("sfrxj", rune(c[n-1])) {
			if r := mend(single(c[:n-1]), false); r != nil {
				return r, keyed
			}
		}
		if r := mend(single(c), false); r != nil {
			return r, keyed
		}
	}
	// Two or three words of the questions glued together; a glued name
	// ("tanlap") the gazetteer finds itself.
	if g.known[f] || len(g.byKey[f]) > 0 {
		return nil, false
	}
	if vowelGroups(f) < 2 {
		// One syllable ("nhượn"): not words glued together.
		return nil, false
	}
	// Spaces left out are no guess either: the words are as typed.
	for i := len(f) - 2; i >= 2; i-- {
		a, b := iy(f[:i]), iy(f[i:])
		if !lexWords[a] && !g.known[a] {
			continue
		}
		if lexWords[b] && len(b) >= 2 || lexWords[a] && len(b) >= 3 && len(byTyped[b]) > 0 {
			// "baonhieu", "mấyptcax": words, or a word and a short form.
			return []word{{fold: a, raw: w.raw, plain: a}, {fold: b, raw: w.raw, plain: b}}, false
		}
		if !lexWords[a] {
			continue
		}
		for k := len(f) - 2; k >= i+2; k-- {
			b, c := iy(f[i:k]), iy(f[k:])
			if lexWords[b] && lexWords[c] {
				return []word{{fold: a, raw: w.raw, plain: a}, {fold: b, raw: w.raw, plain: b}, {fold: c, raw: w.raw, plain: c}}, false
			}
		}
	}
	return nil, false
}

// telexLetters undoes Telex's vowel and đ marks: "truwowng" → "truong".
var telexLetters = strings.NewReplacer("uwow", "uo", "uow", "uo", "uwo", "uo", "aw", "a", "ow", "o", "uw", "u",
	"aa", "a", "ee", "e", "oo", "o", "dd", "d", "w", "u")

// single collapses doubled letters: "truongg" → "truong".
func single(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func countClasses(s string) (letters, digits int) {
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		default:
			letters++
		}
	}
	return letters, digits
}

// vowelGroups counts the runs of vowels of a folded word: one for a
// syllable.
func vowelGroups(w string) int {
	n, in := 0, false
	for i := 0; i < len(w); i++ {
		v := strings.IndexByte("aeiouy", w[i]) >= 0
		if v && !in {
			n++
		}
		in = v
	}
	return n
}
