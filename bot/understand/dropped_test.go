package understand

import (
	"slices"
	"strings"
	"testing"
)

// TestDroppedNames: a commune's or district's whole name typed without
// diacritics nor type word, whose words the question read as its own,
// is kept aside on the Query, so that the bot asks back instead of
// answering silently about the user's own place.
func TestDroppedNames(t *testing.T) {
	g := mustHoaBinh(t)
	tests := []droppedCase{
		{"quyet thang co tcax cq chua", 0, "Quyết Thắng"},
		{"chi dao co tcax cq chua", 0, "Chí Đạo"},
		{"so sanh tan lap va quyet thang", 1, "Quyết Thắng"},
		{"xã Quyết Thắng có tcax cq chưa", 1, ""},
		{"xa mik co tcax cq chua", 0, ""},
		{"tan lap quyet thang chua", 1, ""},
		{"còn bao nhiêu xã chưa có trưởng công an chính quy", 0, ""},
	}
	checkDropped(t, g, tests)
}

// TestDroppedNamesCutPhrases: a run of words that spells a name but cuts
// a phrase of the questions ("thành phố có" is no phường Phố Cò, "tỉ lệ
// xã" no xã Lệ Xá, "phó trưởng chính quy" no phường Trường Chinh) is not
// kept aside: the question's words are read as they were.
func TestDroppedNamesCutPhrases(t *testing.T) {
	g, _ := nationalGazetteer(t)
	checkDropped(t, g, []droppedCase{
		{"Top 3 tỉnh, thành phố có tỉ lệ CAV chính quy thấp nhất?", 0, ""},
		{"dia phuong nao co ti le xa co tcax chinh quy cao nhat?", 0, ""},
		{"top 3 tinh/thanh nhieu xa chua co pho truong chinh quy nao nhat", 0, ""},
		{"quyet thang co tcax cq chua", 0, "Quyết Thắng"},
	})
}

type droppedCase struct {
	text    string
	places  int
	dropped string // the names kept aside, joined by "|"
}

func checkDropped(t *testing.T, g *Gazetteer, tests []droppedCase) {
	t.Helper()
	for _, tt := range tests {
		q := Parse(tt.text, g)
		var names []string
		for _, p := range q.Dropped {
			if !slices.Contains(names, p.Name) {
				names = append(names, p.Name)
			}
		}
		if len(q.Places) != tt.places || strings.Join(names, "|") != tt.dropped {
			t.Errorf("%q: %d places, dropped %q; want %d, %q", tt.text, len(q.Places), names, tt.places, tt.dropped)
		}
	}
}
