package understand

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

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
	// Note is what was typed and not read as any of the above, as typed.
	Note string
	// BadDate is a date typed that does not exist ("31/02/2020").
	BadDate string
	// Named: the text names a decision ("QĐ", "quyết định" before its
	// number or day).
	Named bool
}

// AboutDecision says whether the text was about a decision or the
// holder's standards, rather than only a note or a day.
func (f DecisionForm) AboutDecision() bool {
	return f.Named || f.Number != "" || f.Issuer != "" || f.Rank != "" || f.Training != "" || f.Qualified != ""
}

// Empty reports whether nothing was read.
func (f DecisionForm) Empty() bool {
	return f.Number == "" && f.Date == nil && f.Issuer == "" && f.Rank == "" && f.Training == "" && f.Qualified == "" && f.Note == ""
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

// issuerWords start the name of the body that signed a decision, folded:
// after "của" anything is the issuer; without it, a phrase starting with
// one of these is.
var issuerWords = []string{"giam doc", "gd ", "bo truong", "bo cong an", "cong an tinh", "cong an huyen", "ca tinh", "ca huyen",
	"truong cong an", "pho giam doc", "ubnd", "uy ban", "chu tich", "thu truong", "cuc truong"}

// decisionWords name a decision before its number: "QĐ", "quyết định".
var decisionWords = [][]string{{"qd"}, {"quyet", "dinh"}, {"qdinh"}}

// dateWords may come before a date and say nothing more.
var dateWords = [][]string{{"ngay"}, {"ky", "ngay"}, {"ky"}}

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
	if stored, n := trainingAt(strings.Fields(Fold(typed))); n > 0 {
		return stored
	}
	return typed
}

// Qualification is Training for the holder's qualification: "dai hoc an
// ninh" is "đại học an ninh".
func Qualification(typed string) string {
	typed = strings.Join(strings.Fields(typed), " ")
	folded, words := strings.Fields(Fold(typed)), strings.Fields(typed)
	if len(folded) != len(words) {
		return typed // punctuation inside: kept as typed
	}
	if q, ok := qualificationAt(folded, words); ok {
		return q
	}
	return typed
}

var (
	// decisionNumber is a decision's number: digits, a slash and the
	// issuer's code ("125/QĐ-CAT-PX01").
	decisionNumber = regexp.MustCompile(`^\d+/[\p{L}\d][\p{L}\d./-]*$`)
	digitsOnly     = regexp.MustCompile(`^\d+$`)
	year           = regexp.MustCompile(`^\d{4}$`)
)

// ParseDecision reads a decision and the holder's standards from free
// text: phrases separated by ";", "," or new lines, the words of each in
// any order, with or without diacritics. Words it does not read are kept,
// as typed, in Note: an officer's words are never dropped.
func ParseDecision(text string) DecisionForm {
	var f DecisionForm
	var rest []string
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == ',' || r == '\n' })
	for _, part := range parts {
		if left := f.read(strings.Fields(part)); left != "" {
			rest = append(rest, left)
		}
	}
	f.Note = strings.Join(rest, "; ")
	return f
}

// read takes one phrase's words into f and returns those it did not read,
// as typed.
func (f *DecisionForm) read(words []string) string {
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = Fold(w)
	}
	var left []string
	afterName := false // the last words read were "QĐ" or "số": a bare number follows
	for i := 0; i < len(words); {
		w := strings.Trim(words[i], "().:")
		switch n, day, ok := dateAt(folded[i:], words[i:]); {
		case n > 0:
			if ok && f.Date == nil {
				f.Date = &day
			} else if !ok {
				f.BadDate = strings.Join(words[i:i+n], " ")
			}
			i += n
			afterName = false
			continue
		}
		if n := wordsAt(folded[i:], decisionWords); n > 0 && i+n < len(words) && decisionFollows(folded[i+n:], words[i+n:]) {
			i += n
			afterName = true
			f.Named = true
			continue
		}
		if folded[i] == "so" && i+1 < len(words) && numberLike(words[i+1]) {
			i++
			afterName = true
			continue
		}
		switch {
		case f.Number == "" && (decisionNumber.MatchString(w) || afterName && digitsOnly.MatchString(w)):
			f.Number = w
			i++
			afterName = false
			continue
		case folded[i] == "cua" && i+1 < len(words) && f.Issuer == "":
			f.Issuer = strings.Join(words[i+1:], " ")
			return strings.Join(left, " ")
		}
		afterName = false
		if i+1 < len(words) && f.Rank == "" {
			if r, ok := store.ParseRank(folded[i] + " " + folded[i+1]); ok {
				f.Rank = r
				i += 2
				continue
			}
		}
		tail := strings.Join(folded[i:], " ") + " "
		if f.Training == "" {
			if stored, n := trainingAt(folded[i:]); n > 0 {
				f.Training = stored
				i += n
				continue
			}
			if startsWithAny(tail, courseWords) || strings.HasPrefix(tail, "da hoc ") || strings.HasPrefix(tail, "dang hoc ") {
				f.Training = strings.Join(words[i:], " ")
				return strings.Join(left, " ")
			}
		}
		if f.Qualified == "" {
			if q, ok := qualificationAt(folded[i:], words[i:]); ok {
				f.Qualified = q
				return strings.Join(left, " ")
			}
		}
		// Without "của", an authority names the issuer only where nothing
		// before it was left unread: "125/QĐ-CAT 10/3/2020 Giám đốc CA tỉnh".
		if f.Issuer == "" && len(left) == 0 && startsWithAny(tail, issuerWords) {
			f.Issuer = strings.Join(words[i:], " ")
			return strings.Join(left, " ")
		}
		if Fold(w) != "" {
			left = append(left, words[i])
		}
		i++
	}
	return strings.Join(left, " ")
}

// decisionFollows says whether words after "QĐ" go on with the decision:
// "số", its number or its date; otherwise "quyết định" is a word of a note.
func decisionFollows(folded, words []string) bool {
	n, _, _ := dateAt(folded, words)
	return folded[0] == "so" || numberLike(words[0]) || n > 0
}

// numberLike says whether a word may be a decision's number.
func numberLike(w string) bool {
	w = strings.Trim(w, "().:")
	return decisionNumber.MatchString(w) || digitsOnly.MatchString(w)
}

// wordsAt is the number of words of the first of phrases that words
// start with, 0 for none.
func wordsAt(words []string, phrases [][]string) int {
	for _, p := range phrases {
		if len(words) >= len(p) && slices.Equal(words[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// dateAt reads a date at the start of words: "10/3/2020", "10-03-2020",
// "ngày 10 tháng 3 năm 2020", with "ngày" before any of them. It returns
// the words read (0: no date) and whether the day exists.
func dateAt(folded, words []string) (int, Date, bool) {
	lead := wordsAt(folded, dateWords)
	f, w := folded[lead:], words[lead:]
	switch {
	case len(w) > 0 && dateForm.MatchString(strings.Trim(w[0], "().:")):
		d, ok := parseDate(strings.Trim(w[0], "().:"))
		return lead + 1, d, ok
	case len(f) >= 5 && digitsOnly.MatchString(f[0]) && f[1] == "thang" && digitsOnly.MatchString(f[2]) && f[3] == "nam" && year.MatchString(f[4]):
		d, ok := parseDate(f[0] + "/" + f[2] + "/" + f[4])
		return lead + 5, d, ok
	}
	return 0, Date{}, false
}

// trainingAt is the training words start with, as stored, and how many
// words say it (the longest phrase of TrainingWords); 0 for none.
func trainingAt(words []string) (string, int) {
	for _, p := range trainingPhrases {
		if wordsAt(words, [][]string{p.words}) > 0 {
			return p.stored, len(p.words)
		}
	}
	return "", 0
}

// phrase is a vocabulary's typed phrase split into words, with what it
// is stored as.
type phrase struct {
	words  []string
	stored string
}

// phrasesOf splits a vocabulary's phrases once, longest first, rather
// than at every word of every message read.
func phrasesOf(vocab map[string]string) []phrase {
	out := make([]phrase, 0, len(vocab))
	for typed, stored := range vocab {
		out = append(out, phrase{words: strings.Fields(typed), stored: stored})
	}
	slices.SortFunc(out, func(a, b phrase) int {
		return cmp.Or(cmp.Compare(len(b.words), len(a.words)), slices.Compare(a.words, b.words))
	})
	return out
}

// trainingPhrases and qualificationPhrases are TrainingWords and
// QualificationWords split (phrasesOf).
var (
	trainingPhrases      = phrasesOf(TrainingWords)
	qualificationPhrases = phrasesOf(QualificationWords)
)

// degreeWords name a degree kept as typed with what follows ("cử nhân
// luật", "kỹ sư cầu đường").
var degreeWords = [][]string{{"cu", "nhan"}, {"ky", "su"}}

// qualificationAt reads the holder's qualification at the start of words
// ("trình độ" before it read too): a level of QualificationWords in its
// usual spelling then the rest as typed ("đại học an ninh"), or a degree
// as typed.
func qualificationAt(folded, words []string) (string, bool) {
	lead := wordsAt(folded, [][]string{{"trinh", "do"}})
	f, w := folded[lead:], words[lead:]
	for _, p := range qualificationPhrases {
		if n := wordsAt(f, [][]string{p.words}); n > 0 {
			return strings.TrimSpace(p.stored + " " + strings.Join(w[n:], " ")), true
		}
	}
	if wordsAt(f, degreeWords) > 0 {
		return strings.Join(w, " "), true
	}
	return "", false
}

func startsWithAny(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
