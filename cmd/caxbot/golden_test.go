package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/locales"
)

// updateGolden rewrites the golden transcripts from this run's demo:
//
//	go test ./cmd/caxbot -run TestDemo -update
//
// then read the change with git diff, line by line, before committing it.
var updateGolden = flag.Bool("update", false, "rewrite testdata/golden/ from the demo's transcript")

// goldenDays are the days of the demo whose transcript is kept in
// testdata/golden/<lang>/: the first day (invitations, joining, a report by
// buttons and one by the short form, questions, /moc), the first Monday
// (the digest and the first reminders), the deadline (the reminder, its
// acknowledgement, /lichsu), the first escalation and the register's
// scene (the year's graduates proposed and accepted), plus the start (the
// imports) and the end (the final progress).
var goldenDays = []string{"start", "01/03/2020", "02/03/2020", "31/03/2020", "14/04/2020", "15/04/2020", "end"}

// TestDemoTranscript compares the demo's key days with the transcripts
// reviewed and checked in: a message that changes shows here, and its
// change is read before it is accepted (-update).
func TestDemoTranscript(t *testing.T) {
	dir, out := sharedDemo(t)
	checkGolden(t, "vi", strings.ReplaceAll(out, dir, "DIR"), goldenDays)
}

// checkGolden compares the sections of a transcript with their golden
// files, or writes them with -update.
func checkGolden(t *testing.T, lang, transcript string, days []string) {
	t.Helper()
	sections := transcriptSections(t, lang, transcript)
	for _, day := range days {
		got, ok := sections[day]
		if !ok {
			t.Errorf("the %s transcript has no section %s", lang, day)
			continue
		}
		path := filepath.Join("testdata", "golden", lang, goldenName(day))
		if *updateGolden {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v: write it with go test ./cmd/caxbot -run TestDemo -update", err)
			continue
		}
		if diff := firstDifference(string(want), got); diff != "" {
			t.Errorf("%s differs from this run's transcript %s\n(after reading the change, accept it with go test ./cmd/caxbot -run TestDemo -update)", path, diff)
		}
	}
}

// goldenName is a section's file name: 2020-03-01.txt, start.txt.
func goldenName(day string) string {
	if d, err := time.Parse("02/01/2006", day); err == nil {
		return d.Format(time.DateOnly) + ".txt"
	}
	return day + ".txt"
}

// transcriptSections cuts a demo's transcript at its day headings: "start"
// is what comes before the first day, each day its heading and lines, and
// "end" the closing lines from the final digest on.
func transcriptSections(t *testing.T, lang, transcript string) map[string]string {
	t.Helper()
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Printer(lang, time.UTC)
	before := func(key string, args int) string {
		a := []any{"\x00"}
		for range args - 1 {
			a = append(a, "")
		}
		s := p.T(key, a...)
		return s[:strings.Index(s, "\x00")]
	}
	dayMark, endMark := before("demo.day", 2), before("demo.final", 3)
	out := make(map[string]string)
	name := "start"
	var b strings.Builder
	flush := func() {
		out[name] = strings.TrimRight(b.String(), "\n") + "\n"
		b.Reset()
	}
	for _, line := range strings.SplitAfter(transcript, "\n") {
		switch {
		case strings.HasPrefix(line, dayMark):
			flush()
			name = strings.Fields(strings.TrimPrefix(line, dayMark))[0]
		case strings.HasPrefix(line, endMark):
			flush()
			name = "end"
		}
		b.WriteString(line)
	}
	flush()
	return out
}

// firstDifference shows where two texts part, "" when they are the same.
func firstDifference(want, got string) string {
	if want == got {
		return ""
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("at line %d:\n  golden: %s\n  now:    %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("in length: %d lines golden, %d now", len(w), len(g))
}
