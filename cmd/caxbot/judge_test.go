package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/understand"
	"golang.org/x/text/unicode/norm"
)

// The question sets (testdata/asks: the generated one, the blind one)
// write what a right answer contains in one small language, the blind
// set's (testdata/asks/blind/README.md):
//
//	number:N  percent:P  names:A|B  ranked:A|B  yes  no  holder:NAME[;since:D]
//	since:D  notfound  refused  clarify  A && B (one per part of the message)
//
// judge reads an answer as the user saw it in `caxbot chat` and says
// whether it holds.

// outcome is how an answer is counted.
type outcome int

const (
	outRight   outcome = iota
	outClarify         // the bot asked which place was meant, or to name it
	outMissed          // not understood, or not found where a figure was asked
	outWrong           // a confident answer with another figure, place, list or verdict
)

func (o outcome) String() string {
	return [...]string{"right", "clarify", "missed", "wrong"}[o]
}

// chatAnswers asks each question through `caxbot chat --as id` on the
// store of env, with the clock at now, and returns what the user saw in
// answer to each: the messages' text, their buttons as [label].
func chatAnswers(t *testing.T, env map[string]string, id int64, questions []string, now time.Time) []string {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{
		Stdin:  strings.NewReader(strings.Join(questions, "\n") + "\n"),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return now },
	}
	if code := m.Run(context.Background(), []string{"chat", "--as", strconv.FormatInt(id, 10)}); code != 0 {
		t.Fatalf("caxbot chat --as %d: exit %d: %s", id, code, errOut.String())
	}
	var answers []string
	var cur *strings.Builder
	button := regexp.MustCompile(`\[\d+ ([^\]]*)\]`)
	for _, line := range strings.Split(out.String(), "\n") {
		switch {
		case strings.HasPrefix(line, "> "):
			answers = append(answers, "")
			cur = &strings.Builder{}
		case cur == nil:
		case strings.HasPrefix(line, "🤖 "):
			if cur.Len() > 0 {
				cur.WriteString("\n\n")
			}
			cur.WriteString(strings.TrimPrefix(line, "🤖 "))
		default:
			l := strings.TrimPrefix(line, "   ")
			if bs := button.FindAllStringSubmatch(l, -1); len(bs) > 0 && strings.HasPrefix(strings.TrimSpace(l), "[") {
				for _, b := range bs {
					cur.WriteString("\n[" + b[1] + "]")
				}
				break
			}
			cur.WriteString("\n" + l)
		}
		if cur != nil && len(answers) > 0 {
			answers[len(answers)-1] = cur.String()
		}
	}
	if len(answers) != len(questions) {
		t.Fatalf("chat answered %d of %d questions:\n%s", len(answers), len(questions), out.String())
	}
	return answers
}

// judge says whether answer to question holds expect, and why not.
func judge(question, expect, answer string) (outcome, string) {
	parts := strings.Split(expect, " && ")
	if len(parts) > 1 {
		got := splitParts(answer)
		if len(got) < len(parts) {
			// A comparison answers place by place, a line each.
			got = bullets(answer)
		}
		if len(got) < len(parts) {
			got = nil
			for _, l := range strings.Split(answer, "\n") {
				if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "[") {
					got = append(got, l)
				}
			}
		}
		worst := outRight
		var why []string
		for i, e := range parts {
			a := ""
			if i < len(got) {
				a = got[i]
			}
			o, w := judgeOne(question, strings.TrimSpace(e), a)
			if o > worst {
				worst = o
			}
			if o != outRight {
				why = append(why, fmt.Sprintf("part %d: %s", i+1, w))
			}
		}
		return worst, strings.Join(why, "; ")
	}
	return judgeOne(question, expect, answer)
}

// bullets are an answer's "• " lines.
func bullets(answer string) []string {
	var out []string
	for _, l := range strings.Split(answer, "\n") {
		if item, ok := strings.CutPrefix(l, "• "); ok {
			out = append(out, item)
		}
	}
	return out
}

// splitParts cuts an answer into the answers to the parts of a message:
// they are paragraphs of one message, or messages.
func splitParts(answer string) []string {
	var out []string
	for _, p := range strings.Split(answer, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

var (
	figureRE  = regexp.MustCompile(`(\d{1,3}(?:\.\d{3})+|\d+)(?:/(\d[\d.]*))?`)
	percentRE = regexp.MustCompile(`(\d+(?:,\d+)?)\s?%`)
	dateRE    = regexp.MustCompile(`\d{2}/\d{2}/\d{4}`)
)

func judgeOne(question, expect, answer string) (outcome, string) {
	kind, arg, _ := strings.Cut(expect, ":")
	first, _, _ := strings.Cut(answer, "\n")
	notFound := strings.Contains(answer, "Không tìm thấy")
	refused := strings.Contains(answer, "ngoài phạm vi")
	switch {
	case kind == "notfound" || kind == "refused":
		// Suggestions and buttons are welcome; figures are not.
		if notFound || refused {
			said := regexp.MustCompile(`“[^”]*”`).ReplaceAllString(strings.SplitN(answer, "\n[", 2)[0], "")
			if figureRE.MatchString(dateRE.ReplaceAllString(said, "")) {
				return outWrong, "figures beside " + kind
			}
			return outRight, ""
		}
		if asksBack(answer) {
			return outClarify, "asked back"
		}
		return outWrong, "answered a place that is " + kind
	case kind == "clarify":
		if asksBack(answer) {
			return outRight, ""
		}
		return outWrong, "answered instead of asking"
	case asksBack(answer):
		return outClarify, "asked back"
	case strings.Contains(answer, "Hệ thống chưa hiểu"):
		return outMissed, "not understood"
	}
	if notFound || refused {
		return outMissed, "place not found or refused"
	}
	switch kind {
	case "number":
		want, _ := strconv.Atoi(arg)
		got, ok := mainFigure(first)
		if ok && got == want {
			return outRight, ""
		}
		return outWrong, fmt.Sprintf("figure %d (found %v), want %d", got, ok, want)
	case "percent":
		want, _ := strconv.ParseFloat(arg, 64)
		m := percentRE.FindStringSubmatch(first)
		if m == nil {
			return outWrong, "no percentage"
		}
		got, _ := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
		if math.Abs(got-want) <= 0.051 {
			return outRight, ""
		}
		return outWrong, fmt.Sprintf("percentage %v, want %v", got, want)
	case "yes", "no":
		got := verdictOf(first)
		if got == "" {
			got = eitherVerdict(question, first)
		}
		if got == kind {
			return outRight, ""
		}
		return outWrong, fmt.Sprintf("verdict %q, want %s", got, kind)
	case "holder":
		name, since, _ := strings.Cut(arg, ";since:")
		if name == "-" {
			if strings.Contains(answer, "khuyết") {
				return outRight, ""
			}
			return outWrong, "the post is vacant, not said so"
		}
		if !strings.Contains(nameKey(answer), nameKey(name)) {
			return outWrong, "holder " + name + " not named"
		}
		if since != "" && !strings.Contains(answer, since) {
			return outWrong, "date " + since + " not given"
		}
		return outRight, ""
	case "since":
		if strings.Contains(answer, arg) {
			return outRight, ""
		}
		return outWrong, "date " + arg + " not given"
	case "names", "ranked":
		var want []string
		if arg != "" {
			for _, n := range strings.Split(arg, "|") {
				want = append(want, nameKey(n))
			}
		}
		got := listedNames(answer, kind == "ranked")
		if kind == "names" {
			if equalSets(got, want) {
				return outRight, ""
			}
			if len(want) == 0 {
				if n, ok := mainFigure(first); ok && n == 0 || strings.Contains(first, "không có") {
					return outRight, ""
				}
			}
			return outWrong, fmt.Sprintf("names %v, want %v", got, want)
		}
		if len(got) >= len(want) && strings.Join(got[:len(want)], "|") == strings.Join(want, "|") {
			return outRight, ""
		}
		return outWrong, fmt.Sprintf("ranking %v, want %v", got, want)
	}
	return outWrong, "unknown expectation " + expect
}

// asksBack reports whether the bot asked which place was meant (buttons
// with a Cancel) or to name one.
func asksBack(answer string) bool {
	return strings.Contains(answer, "[Hủy]") || strings.Contains(answer, "[Huỷ]") ||
		strings.Contains(answer, "Đề nghị đồng chí nêu tên") || strings.Contains(answer, "Đề nghị đồng chí ghi rõ")
}

// mainFigure is the first number after the place a line starts with,
// dates left out.
func mainFigure(line string) (int, bool) {
	if _, rest, ok := strings.Cut(line, ": "); ok {
		line = rest
	}
	line = dateRE.ReplaceAllString(line, "")
	line = regexp.MustCompile(`quý [IV]+/\d{4}|tháng \d+/\d{4}|năm \d{4}`).ReplaceAllString(line, "")
	m := figureRE.FindStringSubmatch(line)
	if m == nil {
		if strings.Contains(line, "không có") {
			return 0, true
		}
		return 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
	return n, err == nil
}

// verdictOf reads "Có." / "Còn." as yes, "Chưa." / "Không." as no.
func verdictOf(line string) string {
	switch {
	case strings.HasPrefix(line, "Có.") || strings.HasPrefix(line, "Còn."):
		return "yes"
	case strings.HasPrefix(line, "Chưa.") || strings.HasPrefix(line, "Không."):
		return "no"
	}
	return ""
}

// eitherVerdict reads an answer to "A hay B" between two statuses ("tcax
// mik là cq hay bct"), which names the status that holds first ("Chính
// quy. …", "Đều chính quy. …"), as the sets write its expectation: yes
// when the question's first alternative holds, no when another does.
func eitherVerdict(question, line string) string {
	statuses := map[string]string{"cq": "regular", "chinh quy": "regular", "bct": "semi", "ban chuyen trach": "semi",
		"khuyet": "vacant", "trong": "vacant"}
	words := strings.Fields(understand.Fold(question))
	first := ""
	for i, w := range words {
		if w != "hay" && w != "hoac" || first != "" {
			continue
		}
		for k := i - 1; k >= 0 && k >= i-4 && first == ""; k-- {
			for n := 3; n >= 1; n-- {
				if k+n <= i {
					if s, ok := statuses[strings.Join(words[k:k+n], " ")]; ok {
						first = s
						break
					}
				}
			}
		}
	}
	leads := map[string]string{"Chính quy.": "regular", "Đều chính quy.": "regular", "Bán chuyên trách.": "semi",
		"Đều bán chuyên trách.": "semi", "Đang khuyết.": "vacant", "Đều khuyết.": "vacant"}
	for lead, s := range leads {
		if strings.HasPrefix(line, lead) && first != "" {
			if s == first {
				return "yes"
			}
			return "no"
		}
	}
	return ""
}

// typeWords start a unit's name in an answer; the sets name units
// without them.
var typeWords = []string{"thành phố ", "thị trấn ", "thị xã ", "huyện ", "quận ", "tỉnh ", "xã ", "phường "}

// nameKey compares names as the sets do: case and old or new tone
// placement aside.
func nameKey(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	return strings.NewReplacer("oà", "òa", "oá", "óa", "oả", "ỏa", "oã", "õa", "oạ", "ọa",
		"uỳ", "ùy", "uý", "úy", "uỷ", "ủy", "uỹ", "ũy", "uỵ", "ụy").Replace(s)
}

func bareUnit(s string) string {
	s = nameKey(strings.TrimSpace(s))
	for _, w := range typeWords {
		if strings.HasPrefix(s, w) {
			return strings.TrimPrefix(s, w)
		}
	}
	return s
}

var (
	rankRE   = regexp.MustCompile(`^\d+\. (.*?): `)
	winnerRE = regexp.MustCompile(`^(.*?) có (?:nhiều|ít|tỷ lệ) .* hơn:`)
)

// listedNames reads the units an answer lists: its "• " lines, or its
// ranking ("1. Huyện A: ..."), or the units a ranking's first line names.
func listedNames(answer string, ranked bool) []string {
	lines := strings.Split(answer, "\n")
	if m := winnerRE.FindStringSubmatch(lines[0]); m != nil {
		return []string{bareUnit(m[1])}
	}
	var out []string
	for _, l := range lines {
		if m := rankRE.FindStringSubmatch(l); m != nil {
			out = append(out, bareUnit(m[1]))
		}
	}
	if len(out) > 0 {
		return out
	}
	if ranked {
		if _, rest, ok := strings.Cut(lines[0], " nhất là "); ok {
			rest, _, _ = strings.Cut(rest, " (")
			for _, n := range strings.Split(rest, ", ") {
				out = append(out, bareUnit(n))
			}
			return out
		}
	}
	for _, l := range lines[1:] {
		item, ok := strings.CutPrefix(l, "• ")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(item, ": ")
		name, _, _ = strings.Cut(name, " (")
		out = append(out, bareUnit(name))
	}
	return out
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := make(map[string]int)
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
