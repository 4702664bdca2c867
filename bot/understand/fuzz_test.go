package understand

import (
	"strings"
	"testing"
	"time"
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
		msg := Read(s, g, time.Date(2020, 7, 15, 9, 0, 0, 0, time.UTC))
		for _, q := range msg.Parts {
			if q.Topic == TopicRoster && q.Measure == "" {
				t.Fatalf("Read(%q) has a roster question without a measure", s)
			}
			for _, m := range q.Places {
				p, alts, amb := g.Resolve(m, nil)
				if p != nil && len(amb) > 0 || p == nil && len(alts) > 0 {
					t.Fatalf("Read(%q): place %+v, alternatives %d, ambiguity %d", s, p, len(alts), len(amb))
				}
				if len(amb) == 1 {
					t.Fatalf("Read(%q) is ambiguous between one place", s)
				}
			}
			if !q.Window.From.IsZero() && !q.Window.To.IsZero() && q.Window.To.Before(q.Window.From) {
				t.Fatalf("Read(%q): window %v..%v ends before it starts", s, q.Window.From, q.Window.To)
			}
		}
		if len(msg.Parts) > maxQuestionWords {
			t.Fatalf("Read(%q): %d parts", s, len(msg.Parts))
		}
		form, err := ParseReport(s, g)
		if err == nil && (!form.Kind.Valid() || !form.Status.Valid() || form.Slot < 1) {
			t.Fatalf("ParseReport(%q) = %+v without an error", s, form)
		}
	})
}
