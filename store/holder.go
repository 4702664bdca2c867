package store

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxHolderLength caps a holder's name, in characters.
const MaxHolderLength = 100

// Problems of a holder's name, wherever it comes from (the report
// conversation, the one-line /baocao, an invitation's name, a posts file):
//
//	holder_too_long   over MaxHolderLength characters; Value is the limit
//	holder_bad_chars  a control character (a line break, a tab, NUL), an
//	                  invisible or private-use one, or one Unicode does not know
//	holder_command    starts with "/", as a command does
//	holder_no_letter  no letter at all: digits or punctuation only
const (
	ProblemHolderTooLong  Problem = "holder_too_long"
	ProblemHolderBadChars Problem = "holder_bad_chars"
	ProblemHolderCommand  Problem = "holder_command"
	ProblemHolderNoLetter Problem = "holder_no_letter"
)

// HolderError is why a holder's name was refused.
type HolderError struct {
	Problem Problem
	Value   string // for holder_too_long the limit, otherwise the name as given
}

func (e *HolderError) Error() string {
	return fmt.Sprintf("store: holder's name: %s %q", e.Problem, e.Value)
}

// CleanHolder checks a holder's name and returns it as stored: NFC, the
// surrounding spaces trimmed and every run of spaces inside made one. An
// empty name is returned as it is: whether a post needs a holder is the
// caller's to say. Every way of reporting a holder goes through it, so
// that none stores what another refuses.
func CleanHolder(s string) (string, error) {
	s = strings.TrimSpace(norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD")))
	if s == "" {
		return "", nil
	}
	var b strings.Builder
	letters, space := 0, false
	for _, r := range s {
		switch {
		case !fitForName(r):
			return "", &HolderError{Problem: ProblemHolderBadChars, Value: quoteBack(strings.Map(visible, s))}
		case unicode.Is(unicode.Zs, r):
			space = true
			continue
		case unicode.IsLetter(r):
			letters++
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	name := b.String()
	switch {
	case utf8.RuneCountInString(name) > MaxHolderLength:
		return "", &HolderError{Problem: ProblemHolderTooLong, Value: strconv.Itoa(MaxHolderLength)}
	case strings.HasPrefix(name, "/"):
		return "", &HolderError{Problem: ProblemHolderCommand, Value: quoteBack(name)}
	case letters == 0:
		return "", &HolderError{Problem: ProblemHolderNoLetter, Value: quoteBack(name)}
	}
	return name, nil
}

// fitForName reports whether a name may hold r: not a control character
// (Cc), an invisible one (Cf: zero-width, bidi overrides), a private-use,
// surrogate or unassigned code point, or the mark of bytes that were not
// UTF-8.
func fitForName(r rune) bool {
	return r != utf8.RuneError && unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs)
}

// visible shows a character a name may not hold as U+FFFD, so that the
// name can be quoted back.
func visible(r rune) rune {
	if fitForName(r) {
		return r
	}
	return utf8.RuneError
}
