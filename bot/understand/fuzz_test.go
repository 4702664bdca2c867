package understand

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no message makes Parse or ParseReport panic, that
// Fold is idempotent and that what Parse returns is consistent. The seed
// corpus is in testdata/fuzz/FuzzParse; run with
// go test -fuzz=FuzzParse ./bot/understand/
func FuzzParse(f *testing.F) {
	g := mustHoaBinh(f)
	for _, s := range []string{
		"huyen lac son con bao nhieu xa chua co truong cong an chinh quy",
		"Ai là trưởng CA xã Tân Lập?",
		"tt mai chau", "p.truong ca xa quy hoa la ai", "cav 3 trong 31/02/2020",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold of that = %q", s, folded, again)
		}
		if utf8.ValidString(s) && (strings.HasPrefix(folded, " ") || strings.HasSuffix(folded, " ") || strings.Contains(folded, "  ")) {
			t.Fatalf("Fold(%q) = %q has stray spaces", s, folded)
		}
		q := Parse(s, g)
		if q.Place != nil && len(q.Ambiguous) > 0 {
			t.Fatalf("Parse(%q) has both a place and an ambiguity", s)
		}
		if len(q.Ambiguous) == 1 {
			t.Fatalf("Parse(%q) is ambiguous between one place", s)
		}
		if q.Intent == "" {
			t.Fatalf("Parse(%q) has no intent", s)
		}
		n := ParseName(s, g)
		if n.Place != nil && len(n.Ambiguous) > 0 {
			t.Fatalf("ParseName(%q) has both a place and an ambiguity", s)
		}
		if q.Place != nil && (n.Place == nil || *n.Place != *q.Place) {
			t.Fatalf("ParseName(%q) = %+v, but Parse found %+v", s, n.Place, q.Place)
		}
		form, err := ParseReport(s, g)
		if err == nil && (!form.Kind.Valid() || !form.Status.Valid() || form.Slot < 1) {
			t.Fatalf("ParseReport(%q) = %+v without an error", s, form)
		}
	})
}
