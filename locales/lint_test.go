package locales

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The catalog lint keeps every catalog as VIETNAMESE.md (next to this
// file) asks. Each rule is a function of one message's text; a rule marked
// viOnly looks at the Vietnamese catalog only.
type lintRule struct {
	name   string
	viOnly bool
	check  func(text string) string // what is wrong, "" when nothing
}

var lintRules = []lintRule{
	{"address", true, addressProblem},
	{"quotes", false, func(s string) string {
		if strings.ContainsAny(s, "«»") {
			return "quotes « »: write “ ”"
		}
		return ""
	}},
	{"nfc", false, func(s string) string {
		if !norm.NFC.IsNormalString(s) {
			return "not in NFC: letters and their marks must be composed"
		}
		return ""
	}},
	{"tone", false, toneProblem},
	{"abbreviation", false, func(s string) string {
		if m := abbreviationRE.FindString(s); m != "" {
			return fmt.Sprintf("abbreviation %q: write the post in full (Trưởng Công an xã, Công an viên)", strings.TrimSpace(m))
		}
		return ""
	}},
	{"number", false, numberProblem},
	{"one word per thing", true, wordProblem},
}

// TestCatalogLint runs every rule over every message of every catalog
// file, plural forms included.
func TestCatalogLint(t *testing.T) {
	for _, m := range lintMessages(t) {
		for _, r := range lintRules {
			if r.viOnly && m.lang != "vi" {
				continue
			}
			if problem := r.check(m.text); problem != "" {
				t.Errorf("%s %s: %s\n\t%s", m.file, m.key, problem, m.text)
			}
		}
	}
}

type lintMessage struct{ lang, file, key, text string }

// lintMessages reads the embedded catalog files themselves, so that the
// lint names the file of each message.
func lintMessages(t *testing.T) []lintMessage {
	t.Helper()
	var out []lintMessage
	for lang := range pluralForms {
		files, err := fs.Glob(catalogFiles, lang+"/*.json")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			b, err := fs.ReadFile(catalogFiles, name)
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			for key, v := range raw {
				var text string
				if json.Unmarshal(v, &text) == nil {
					out = append(out, lintMessage{lang, name, key, text})
					continue
				}
				var forms map[string]string
				if err := json.Unmarshal(v, &forms); err != nil {
					t.Fatalf("%s %s: %v", name, key, err)
				}
				for _, f := range forms {
					out = append(out, lintMessage{lang, name, key, f})
				}
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("only %d messages read", len(out))
	}
	return out
}

// words splits a text into its words: runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// addressProblem finds the reader called "bạn" or the bot calling itself
// "tôi" or "mình": the reader is đồng chí, the bot hệ thống.
func addressProblem(s string) string {
	for _, w := range words(s) {
		switch strings.ToLower(w) {
		case "bạn":
			return "“bạn”: the reader is “đồng chí”"
		case "tôi", "mình":
			return fmt.Sprintf("“%s”: the bot speaks as “hệ thống”", w)
		}
	}
	return ""
}

// toneProblem finds a word with its tone mark in the modern placement:
// in an open syllable oa, oe and uy carry the mark on their first vowel
// (hòa, khỏe, thủy, hủy), as official place names do, except after q,
// where u belongs to the consonant (quý).
func toneProblem(s string) string {
	for _, w := range words(s) {
		if modernTone(w) {
			return fmt.Sprintf("“%s”: tone mark in the modern placement; write it as in Hòa Bình, Yên Thủy (hòa, thủy, hủy, khóa)", w)
		}
	}
	return ""
}

func modernTone(word string) bool {
	r := []rune(strings.ToLower(norm.NFC.String(word)))
	n := len(r)
	if n < 2 || n >= 3 && r[n-3] == 'q' {
		return false
	}
	switch r[n-2] {
	case 'o':
		return strings.ContainsRune("àáảãạèéẻẽẹ", r[n-1])
	case 'u':
		return strings.ContainsRune("ỳýỷỹỵ", r[n-1])
	}
	return false
}

// abbreviationRE finds the abbreviations of the posts, which leaders do
// not read: "Trưởng CA", "CAV".
var abbreviationRE = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])CAV?(?:$|[^\p{L}\p{N}_])`)

// numberRE finds a number of four digits or more standing on its own: a
// quantity written out in a catalog instead of through Printer.Num.
// Digits after ":" (a port, a time), "-" or "/" (a date, a chat id), or
// next to a dot or comma (already grouped, or a decimal) are not
// quantities.
var numberRE = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_:/.,\-])(\d{4,})(?:$|[^\p{L}\p{N}_.,/\-])`)

// yearVerbRE finds a year written with %d, which Printer.T would group
// (2.020): a year is passed as text.
var yearVerbRE = regexp.MustCompile(`(?i)(?:năm|year|quý [^ ]*/|Q%\[\d\]d/)\s*%(?:\[\d+\])?d`)

// lineVerbRE finds a line number written with %d: it names a row of a
// file, as Excel numbers it (1234), and is not grouped.
var lineVerbRE = regexp.MustCompile(`(?i)(?:dòng|line)\s*%(?:\[\d+\])?d`)

func numberProblem(s string) string {
	if m := yearVerbRE.FindString(s); m != "" {
		return fmt.Sprintf("%q: a year is not a quantity; pass it as text (%%s)", m)
	}
	if m := lineVerbRE.FindString(s); m != "" {
		return fmt.Sprintf("%q: a line number names a row, it is not a quantity; pass it as text (%%s)", m)
	}
	for _, m := range numberRE.FindAllStringSubmatch(s, -1) {
		if n, _ := strconv.Atoi(m[1]); n >= 1900 && n <= 2099 {
			continue // a year
		}
		return fmt.Sprintf("%q: a quantity is written %%d, through Printer.Num (10.643)", m[1])
	}
	return ""
}

// wordTerms are the words VIETNAMESE.md replaces, with what it writes
// instead: one word for one thing.
var wordTerms = []struct {
	re   *regexp.Regexp
	want string
}{
	{regexp.MustCompile(`(?i)cán bộ xã`), "the commune police users are “Công an xã”; cán bộ xã are the elected officials"},
	{regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:(?:đã|chưa) đạt|xong)(?:$|[^\p{L}])`), "a milestone is “hoàn thành” / “chưa hoàn thành”"},
	{regexp.MustCompile(`(?i)(?:vị trí|chức danh|còn|đang) trống`), "a post nobody holds is “khuyết”"},
	{regexp.MustCompile(`(?i)(?:^|[^\p{L}])link(?:$|[^\p{L}])`), "“đường dẫn”, not “link”"},
	{regexp.MustCompile(`(?:^|[^\p{L}])[Gg]õ(?:$|[^\p{L}])`), "instructions say “Nhập”, “Chọn”, “Bấm”"},
}

func wordProblem(s string) string {
	for _, w := range wordTerms {
		if m := w.re.FindString(s); m != "" {
			return fmt.Sprintf("%q: %s", strings.TrimSpace(m), w.want)
		}
	}
	return ""
}

// TestLintRules shows each rule on texts it must refuse and texts it must
// let pass, so that a rule that cannot fail is seen.
func TestLintRules(t *testing.T) {
	rule := func(name string) func(string) string {
		for _, r := range lintRules {
			if r.name == name {
				return r.check
			}
		}
		t.Fatalf("no rule %q", name)
		return nil
	}
	tests := []struct {
		rule, text string
		bad        bool
	}{
		{"address", "Cảm ơn bạn!", true},
		{"address", "Xin lỗi, tôi chưa hiểu câu hỏi.", true},
		{"address", "Để xem tình hình xã mình, hãy gõ /thieu.", true},
		{"address", "Bạn đã được đăng ký.", true},
		{"address", "Cảm ơn đồng chí. Hệ thống đã ghi nhận.", false},
		{"quotes", "Bấm «Đã nhận»", true},
		{"quotes", "Bấm “Đã nhận”", false},
		{"nfc", norm.NFD.String("Hòa Bình"), true},
		{"nfc", "Hòa Bình", false},
		{"abbreviation", "Trưởng CA: bán chuyên trách", true},
		{"abbreviation", "còn 29 vị trí CAV trống", true},
		{"abbreviation", "CA xã", true},
		{"abbreviation", "Trưởng Công an xã", false},
		{"abbreviation", "CAXBOT_PLAN_FILE, caxbot", false},
		{"number", "đã qua 2526 ngày", true},
		{"number", "Số báo cáo trong tuần: 10643", true},
		{"number", "quý %[2]s/%[3]d", true},
		{"number", "năm %d", true},
		{"number", "Dòng %d, cột %s: %s", true},
		{"number", "line %[1]d: %[2]s", true},
		{"number", "Dòng %s, cột %s: %s", false},
		{"number", "Sửa các dòng sau rồi nhập lại", false},
		{"number", "đã qua %d ngày", false},
		{"number", "10.643 xã", false},
		{"number", "từ năm 2019, 15/03/2020, giai đoạn 2020–2024", false},
		{"number", "postgres://người_dùng@máy:5432/csdl, -1001234567890, 07:30", false},
		{"number", "76,1%", false},
		{"one word per thing", "vai trò: commune (cán bộ xã)", true},
		{"one word per thing", "Huyện Lạc Sơn: đã xong 8/20 xã", true},
		{"one word per thing", "Các xã chưa đạt:", true},
		{"one word per thing", "Xong", true},
		{"one word per thing", "còn 29 vị trí trống", true},
		{"one word per thing", "hãy xin đường link mời", true},
		{"one word per thing", "Gõ /trogiup để xem các lệnh.", true},
		{"one word per thing", "để trống: một thư mục tạm mới; tệp trống; bỏ trống ô bắt buộc", false},
		{"one word per thing", "đã hoàn thành 8/20 xã; Nhập /trogiup; đường dẫn", false},
		{"one word per thing", "caxbot đạt 27,0% thông lượng", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule+": "+tt.text, func(t *testing.T) {
			if got := rule(tt.rule)(tt.text); (got != "") != tt.bad {
				t.Errorf("problem %q, want a problem: %v", got, tt.bad)
			}
		})
	}
}

// TestModernTonePlacements: the spellings of the modern placement are
// refused, the traditional ones and closed syllables pass.
func TestModernTonePlacements(t *testing.T) {
	for _, w := range []string{"huỷ", "Huỷ", "tuỳ", "khoá", "thuỷ", "Thuỷ", "hoà", "Hoà", "xoá", "hoạ", "HOẠ", "khoẻ", "loè", "luỹ", "thuý"} {
		if !modernTone(w) {
			t.Errorf("%q passes", w)
		}
	}
	for _, w := range []string{"hủy", "Hủy", "tùy", "khóa", "thủy", "Thủy", "hòa", "xóa", "họa", "khỏe", "hoàn", "toàn", "quý", "Quý", "quyết", "thuyền", "khoản", "huyện", "ngoài", "hoa", "thuy"} {
		if modernTone(w) {
			t.Errorf("%q refused", w)
		}
	}
}
