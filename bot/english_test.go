package bot

import (
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/tgtest"
)

// TestEnglishAnswers asks questions of a dozen kinds, in Vietnamese as
// officers type them, of users who chose English (/ngonngu), and holds
// each answer's first line to a grammatical English sentence: the kind of
// post before its noun, "still" before what the posts are, plurals by the
// count (1 post, 10 districts), "is" or "are" by the places named.
func TestEnglishAnswers(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	for _, u := range []tgtest.User{provinceUser, districtUser, communeUser} {
		e.press(u, e.say(u, "/ngonngu"), "English")
	}
	for _, tt := range []struct {
		kind     string
		user     tgtest.User
		question string
		want     string
	}{
		{"communes lacking", provinceUser, "toàn tỉnh còn bao nhiêu xã chưa có trưởng công an chính quy",
			"The whole province: 91 communes still without a regular Chief of commune police."},
		{"posts lacking", provinceUser, "toàn tỉnh còn thiếu bao nhiêu trưởng công an xã chính quy",
			"The whole province: 91 Chief of commune police posts still not held by regular police."},
		{"posts vacant", provinceUser, "cả tỉnh còn bao nhiêu vị trí phó trưởng công an đang trống",
			"The whole province: 38 Deputy chief of commune police posts still vacant."},
		{"posts semi-professional", provinceUser, "co bao nhieu cong an vien ban chuyen trach o huyen lac thuy",
			"Huyện Lạc Thủy: 2 Commune police officer posts still held by semi-professional staff."},
		{"any post vacant", provinceUser, "huyện Đà Bắc có bao nhiêu vị trí còn trống", "Huyện Đà Bắc: 16 posts still vacant."},
		{"communes not all regular", districtUser, "bao nhieu xa con thieu pho truong cong an",
			"Huyện Lạc Sơn: 18 communes still without every Deputy chief of commune police post held by regular police."},
		{"none in a window", provinceUser, "quý II/2020 bố trí thêm được mấy phó trưởng chính quy?",
			"The whole province: no Deputy chief of commune police posts held by regular police appointed in Q2/2020."},
		{"none in a commune", communeUser, "còn mấy công an viên bán chuyên trách?",
			"Commune Tân Lập: no Commune police officer posts held by semi-professional staff."},
		{"people", provinceUser, "toàn tỉnh có bao nhiêu người bán chuyên trách", "The whole province: 144 people still semi-professional."},
		{"communes of a district", provinceUser, "huyện Lạc Sơn có bao nhiêu xã", "Huyện Lạc Sơn: 24 communes."},
		{"districts", provinceUser, "có bao nhiêu huyện", "The whole province: 10 districts."},
		{"share", provinceUser, "tỷ lệ xã đã có TCAX chính quy?", "The whole province: 50/141 communes with a regular Chief of commune police (35.5%)."},
		{"rank, one place", provinceUser, "huyện nào còn nhiều xã chưa có TCAX chính quy nhất?",
			"The whole province: the district with the most communes without a regular Chief of commune police is Huyện Lạc Sơn (16 communes)."},
		{"rank, tied places", districtUser, "xã nào còn nhiều công an viên bán chuyên trách nhất?",
			"Huyện Lạc Sơn: the communes with the most Commune police officer posts held by semi-professional staff are Commune Quý Hòa, Commune Văn Sơn, Commune Xuất Hóa, Commune Ngọc Sơn, Commune Tân Mỹ (1 post)."},
		{"rank by progress", provinceUser, "xếp hạng các huyện theo tiến độ",
			"The whole province: the districts with the highest share of communes meeting the current milestone are Huyện Cao Phong, Huyện Lạc Thủy (4/10, 40.0%)."},
		{"a commune's list", communeUser, "xã tôi còn thiếu những vị trí nào", "Commune Tân Lập: 3 posts still not held by regular police:"},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			got, _, _ := strings.Cut(shown(e.say(tt.user, tt.question)), "\n")
			e.huy(tt.user)
			if got != tt.want {
				t.Errorf("%q\ngot  %q\nwant %q", tt.question, got, tt.want)
			}
		})
	}
}

// TestLanguageNamedAfterCommand: "/ngonngu en" and the like set the
// language at once, typed as people type it; a word that names no
// language offers the buttons, and nothing changes until one is pressed.
func TestLanguageNamedAfterCommand(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	for _, tt := range []struct {
		say, want string
	}{
		{"/ngonngu en", "English it is."},
		{"/ngonngu Tiếng Việt", "Đã chọn tiếng Việt."},
		{"/ngonngu ENGLISH", "English it is."},
		{"/ngonngu tieng viet", "Đã chọn tiếng Việt."},
		{"/ngonngu tiếng anh", "English it is."},
		{"/ngonngu vn", "Đã chọn tiếng Việt."},
		{"/ngonngu klingon", "Chọn ngôn ngữ:"},
	} {
		if got, _, _ := strings.Cut(shown(e.say(communeUser, tt.say)), "\n"); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.say, got, tt.want)
		}
	}
	e.huy(communeUser)
	got, _, _ := strings.Cut(shown(e.say(communeUser, "còn mấy công an viên bán chuyên trách?")), "\n")
	if !strings.HasPrefix(got, "Xã Tân Lập") {
		t.Errorf("after a word that names no language, the answer is %q, want it still in Vietnamese", got)
	}
}
