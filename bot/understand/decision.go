package understand

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/caxbot/caxbot/store"
)

// DecisionForm is what a reporter typed (or wrote in a photo's caption)
// about the decision behind a report and the holder's standards, e.g.
// "QĐ 125/QĐ-CAT ngày 10/3/2020 của Giám đốc Công an tỉnh; đại úy; đã qua
// đào tạo; đại học". Every field may be missing.
type DecisionForm struct {
	Number    string
	Date      *Date
	Issuer    string
	Rank      store.Rank
	Training  string // a word of TrainingWords, or a course as typed
	Qualified string // a word of QualificationWords, or as typed
}

// Empty reports whether nothing was read.
func (f DecisionForm) Empty() bool {
	return f.Number == "" && f.Date == nil && f.Issuer == "" && f.Rank == "" && f.Training == "" && f.Qualified == ""
}

// TrainingWords are the common answers about the holder's training, as
// stored, by how they are typed (folded). A course named otherwise
// ("lớp bồi dưỡng Trưởng Công an xã khóa 3") is kept as typed.
var TrainingWords = map[string]string{
	"da qua dao tao":    "đã qua đào tạo",
	"da dao tao":        "đã qua đào tạo",
	"da duoc dao tao":   "đã qua đào tạo",
	"chua qua dao tao":  "chưa qua đào tạo",
	"chua dao tao":      "chưa qua đào tạo",
	"chua duoc dao tao": "chưa qua đào tạo",
	"dang dao tao":      "đang đào tạo",
	"dang hoc":          "đang đào tạo",
}

// courseWords start a phrase that names a training course.
var courseWords = []string{"lop ", "khoa ", "boi duong", "tap huan", "dao tao "}

// QualificationWords are the usual levels of qualification, by their
// folded first words; what follows them ("đại học an ninh") is kept.
var QualificationWords = map[string]string{
	"trung cap": "trung cấp",
	"cao dang":  "cao đẳng",
	"dai hoc":   "đại học",
	"thac si":   "thạc sĩ",
	"tien si":   "tiến sĩ",
	"so cap":    "sơ cấp",
}

// TrainingAnswers and QualificationLevels are TrainingWords' and
// QualificationWords' stored values, in the order a form offers them.
var (
	TrainingAnswers     = []string{"đã qua đào tạo", "đang đào tạo", "chưa qua đào tạo"}
	QualificationLevels = []string{"sơ cấp", "trung cấp", "cao đẳng", "đại học", "thạc sĩ", "tiến sĩ"}
)

// Training is a training answer typed in a field of its own, as stored:
// a word of TrainingWords in its usual spelling ("da qua dao tao" is "đã
// qua đào tạo"), or what was typed (a course), its spaces tidied.
func Training(typed string) string {
	typed = strings.Join(strings.Fields(typed), " ")
	if t := trainingIn(Fold(typed), typed); t != "" {
		return t
	}
	return typed
}

// Qualification is Training for the holder's qualification: "dai hoc an
// ninh" is "đại học an ninh".
func Qualification(typed string) string {
	typed = strings.Join(strings.Fields(typed), " ")
	if q := qualificationIn(Fold(typed), typed); q != "" {
		return q
	}
	return typed
}

// issuerWords start the name of the body that signed a decision.
var issuerWords = []string{"giam doc", "gd ", "bo truong", "bo cong an", "cong an tinh", "cong an huyen", "truong cong an", "pho giam doc", "ubnd", "uy ban"}

var (
	// decisionNumber is a decision's number: digits, a slash and the
	// issuer's code ("125/QĐ-CAT-PX01"), or digits alone after "số".
	decisionNumber = regexp.MustCompile(`^\d+/[\p{L}\d][\p{L}\d./-]*$`)
	anyDate        = regexp.MustCompile(`\d{1,2}[/.-]\d{1,2}[/.-]\d{4}`)
)

// ParseDecision reads a decision and the holder's standards from free
// text: phrases separated by ";", "," or new lines, in any order.
func ParseDecision(text string) DecisionForm {
	var f DecisionForm
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == ',' || r == '\n' })
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		folded := Fold(part)
		if d := anyDate.FindString(part); d != "" && f.Date == nil {
			if day, ok := parseDate(d); ok {
				f.Date = &day
			}
		}
		if f.Number == "" {
			f.Number = numberIn(part)
		}
		if f.Number != "" && strings.Contains(part, f.Number) || f.Date != nil && anyDate.MatchString(part) {
			// The phrase of the decision itself: its issuer follows "của".
			if f.Issuer == "" {
				f.Issuer = issuerIn(part)
			}
			continue
		}
		switch {
		case f.Rank == "" && rankIn(folded) != "":
			f.Rank = rankIn(folded)
		case f.Training == "" && trainingIn(folded, part) != "":
			f.Training = trainingIn(folded, part)
		case f.Qualified == "" && qualificationIn(folded, part) != "":
			f.Qualified = qualificationIn(folded, part)
		case f.Issuer == "" && startsWithAny(folded+" ", issuerWords):
			f.Issuer = part
		}
	}
	return f
}

// numberIn finds a decision's number among the words of a phrase.
func numberIn(part string) string {
	words := strings.FieldsFunc(part, func(r rune) bool { return unicode.IsSpace(r) || r == ':' })
	for i, w := range words {
		w = strings.Trim(w, "().")
		if decisionNumber.MatchString(w) && !anyDate.MatchString(w) {
			return w
		}
		// "số 125" with no code after it.
		if i > 0 && Fold(words[i-1]) == "so" && w != "" && strings.Trim(w, "0123456789") == "" {
			return w
		}
	}
	return ""
}

// issuerIn is what follows "của" in the phrase of the decision.
func issuerIn(part string) string {
	words := strings.Fields(part)
	for i, w := range words {
		if Fold(w) == "cua" && i+1 < len(words) {
			return strings.Join(words[i+1:], " ")
		}
	}
	return ""
}

// rankIn finds a rank in two consecutive words: "đại úy", "thieu ta".
func rankIn(folded string) store.Rank {
	ws := strings.Fields(folded)
	for i := 0; i+1 < len(ws); i++ {
		if r, ok := store.ParseRank(ws[i] + " " + ws[i+1]); ok {
			return r
		}
	}
	return ""
}

func trainingIn(folded, part string) string {
	for typed, stored := range TrainingWords {
		if folded == typed || strings.HasPrefix(folded, typed+" ") {
			return stored
		}
	}
	if startsWithAny(folded+" ", courseWords) {
		return part
	}
	return ""
}

func qualificationIn(folded, part string) string {
	if rest, ok := strings.CutPrefix(folded, "trinh do "); ok {
		folded = rest
		part = strings.Join(strings.Fields(part)[2:], " ")
	}
	for typed, stored := range QualificationWords {
		if folded == typed {
			return stored
		}
		if strings.HasPrefix(folded, typed+" ") {
			// The level in its usual spelling, then the rest as typed.
			return stored + " " + strings.Join(strings.Fields(part)[len(strings.Fields(typed)):], " ")
		}
	}
	return ""
}

func startsWithAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
