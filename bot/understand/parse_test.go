package understand

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// minShare is the share of the question set Parse must get right.
const minShare = 0.95

// expectation is one row of testdata/questions.tsv.
type expectation struct {
	line     int
	question string
	intent   string
	count    string // "count" or "list"
	unit     string
	kinds    string
	statuses string
	place    string
	extra    string
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
		out = append(out, expectation{n, q, c[1], c[2], c[3], c[4], c[5], c[6], c[7]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read question set: %v", err)
	}
	return out
}

// describe renders a query in the question set's columns, so that a
// failure shows both sides in the same words.
func describe(q Query) []string {
	count := "list"
	if q.Count {
		count = "count"
	}
	var kinds, statuses []string
	for _, k := range q.Kinds {
		kinds = append(kinds, string(k))
	}
	for _, s := range q.Statuses {
		statuses = append(statuses, string(s))
	}
	place := "-"
	if q.Place != nil {
		place = placeRef(*q.Place)
	}
	extra := "-"
	switch {
	case len(q.Ambiguous) > 0:
		var refs []string
		for _, p := range q.Ambiguous {
			refs = append(refs, placeRef(p))
		}
		slices.Sort(refs)
		extra = "ambiguous:" + strings.Join(refs, ",")
	case len(q.Suggestions) > 0:
		extra = "suggest:" + placeRef(q.Suggestions[0])
	case q.Unmatched != "":
		extra = "unmatched:" + q.Unmatched
	}
	return []string{string(q.Intent), count, orDash(q.Unit), orDash(strings.Join(kinds, ",")), orDash(strings.Join(statuses, ",")), place, extra}
}

// sortedExtra sorts the places of an ambiguity, which are a set.
func sortedExtra(extra string) string {
	refs, ok := strings.CutPrefix(extra, "ambiguous:")
	if !ok {
		return extra
	}
	list := strings.Split(refs, ",")
	slices.Sort(list)
	return "ambiguous:" + strings.Join(list, ",")
}

func placeRef(p Place) string {
	if p.Level == LevelProvince {
		return LevelProvince
	}
	return p.Level + ":" + p.Code
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// TestQuestionSet parses the question set and fails below minShare. Run it
// with -v to see the score and every miss.
func TestQuestionSet(t *testing.T) {
	g := mustHoaBinh(t)
	questions := readQuestions(t)
	if len(questions) < 140 {
		t.Fatalf("question set has %d questions, want at least 140", len(questions))
	}
	correct := 0
	var misses []string
	for _, e := range questions {
		got := describe(Parse(e.question, g))
		want := []string{e.intent, e.count, e.unit, e.kinds, e.statuses, e.place, sortedExtra(e.extra)}
		if slices.Equal(got, want) {
			correct++
			continue
		}
		misses = append(misses, fmt.Sprintf("line %d %q\n\tgot  %s\n\twant %s", e.line, e.question, strings.Join(got, " | "), strings.Join(want, " | ")))
	}
	share := float64(correct) / float64(len(questions))
	t.Logf("question set: %d/%d correct (%.1f%%)", correct, len(questions), 100*share)
	for _, m := range misses {
		t.Log(m)
	}
	if share < minShare {
		t.Errorf("question set: %.1f%% correct, want at least %.0f%%", 100*share, 100*minShare)
	}
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
		if strings.HasPrefix(e.extra, "ambiguous:") {
			ambiguous++
		}
		if strings.HasPrefix(e.extra, "suggest:") || strings.HasPrefix(e.extra, "unmatched:") {
			typos++
		}
	}
	t.Logf("question set: %d questions, %d without diacritics, %d NFD, %d upper case, %d ambiguous, %d typos", len(questions), plain, decomposed, upper, ambiguous, typos)
	if 2*plain < len(questions) || decomposed < 3 || upper < 3 || ambiguous < 5 || typos < 5 {
		t.Errorf("question set too uniform: %d of %d without diacritics, %d NFD, %d upper case, %d ambiguous, %d typos", plain, len(questions), decomposed, upper, ambiguous, typos)
	}
}
