package understand

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// expectation is one row of testdata/questions.tsv.
type expectation struct {
	line     int
	question string
	want     []string // measure, unit, kinds, statuses, match, place, extra
}

// questionDay is the day the question set's relative words are read on.
var questionDay = time.Date(2020, 7, 15, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// first describes the first question of a message, or "unknown".
func first(text string, g *Gazetteer, now time.Time) []string {
	m := Read(text, g, now)
	if len(m.Parts) == 0 {
		return []string{"unknown", "-", "-", "-", "-", "-", "-"}
	}
	return describe(m.Parts[0], g)
}

func readQuestions(t *testing.T) []expectation {
	t.Helper()
	f, err := os.Open("testdata/questions.tsv")
	if err != nil {
		t.Fatalf("open question set: %v", err)
	}
	defer f.Close()
	var out []expectation
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("questions.tsv line %d: %d columns, want 8", n, len(c))
		}
		q := c[0]
		if rest, ok := strings.CutPrefix(q, "nfd:"); ok {
			q = norm.NFD.String(rest)
		}
		out = append(out, expectation{n, q, c[1:]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read question set: %v", err)
	}
	return out
}

// TestQuestionSet reads every question of the set and fails on any it
// reads otherwise than its row says. Run it with -v to see the score.
func TestQuestionSet(t *testing.T) {
	g := mustHoaBinh(t)
	questions := readQuestions(t)
	if len(questions) < 140 {
		t.Fatalf("question set has %d questions, want at least 140", len(questions))
	}
	correct := 0
	for _, e := range questions {
		got := first(e.question, g, questionDay)
		if slices.Equal(got, e.want) {
			correct++
			continue
		}
		t.Errorf("line %d %q\n\tgot  %s\n\twant %s", e.line, e.question, strings.Join(got, " | "), strings.Join(e.want, " | "))
	}
	t.Logf("question set: %d/%d read as their rows say", correct, len(questions))
}

// TestQuestionSetVariety keeps the question set as varied as real input.
func TestQuestionSetVariety(t *testing.T) {
	questions := readQuestions(t)
	var plain, decomposed, upper, ambiguous, typos int
	for _, e := range questions {
		if Fold(e.question) == strings.ToLower(strings.Join(strings.FieldsFunc(e.question, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
		}), " ")) {
			plain++
		}
		if !norm.NFC.IsNormalString(e.question) {
			decomposed++
		}
		if strings.ToUpper(e.question) == e.question && strings.ToLower(e.question) != e.question {
			upper++
		}
		extra := e.want[6]
		if strings.Contains(extra, "ambiguous:") || strings.Contains(extra, "alt:") {
			ambiguous++
		}
		if strings.Contains(extra, "suggest:") || strings.Contains(extra, "unmatched:") {
			typos++
		}
	}
	t.Logf("question set: %d questions, %d without diacritics, %d NFD, %d upper case, %d ambiguous, %d typos", len(questions), plain, decomposed, upper, ambiguous, typos)
	if 2*plain < len(questions) || decomposed < 3 || upper < 3 || ambiguous < 5 || typos < 5 {
		t.Errorf("question set too uniform: %d of %d without diacritics, %d NFD, %d upper case, %d ambiguous, %d typos", plain, len(questions), decomposed, upper, ambiguous, typos)
	}
}
