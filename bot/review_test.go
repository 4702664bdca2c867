package bot

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// TestReviewOnRequest: a province user gets the review as two files; a
// district head is told reviews are the province's; a period not
// understood is answered with the forms that are.
func TestReviewOnRequest(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	tests := []struct {
		name, text, want string
	}{
		{"huyện không lập sơ kết", "/soket", "dành cho cán bộ Công an tỉnh"},
		{"kỳ không hiểu", "/soket quy 1", "Hệ thống chưa hiểu kỳ báo cáo"},
		{"năm chưa đến", "/tongket 2030", "Hệ thống chưa hiểu kỳ báo cáo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			who := provinceUser
			if strings.HasPrefix(tt.name, "huyện") {
				who = districtUser
			}
			if got := e.say(who, tt.text); !strings.Contains(got.PlainText, tt.want) {
				t.Errorf("got %q, want %q", got.PlainText, tt.want)
			}
		})
	}

	n := len(e.srv.Messages(provinceUser.ID))
	if got := e.say(provinceUser, "/soket 01/03/2020 15/03/2020"); !strings.Contains(got.PlainText, "từ ngày 01/03/2020 đến ngày 15/03/2020") {
		t.Fatalf("notice %q", got.PlainText)
	}
	ctx, cancel := context.WithTimeout(e.ctx, 60*time.Second)
	defer cancel()
	msgs, err := e.srv.WaitMessages(ctx, provinceUser.ID, n+3)
	if err != nil {
		t.Fatal(err)
	}
	doc, book := msgs[n+1], msgs[n+2]
	if doc.Document == nil || doc.Document.Name != "bao-cao-2020-03-01-2020-03-15.docx" || !strings.Contains(doc.PlainCaption, "Kết quả thực hiện Đề án") ||
		book.Document == nil || !strings.HasSuffix(book.Document.Name, ".xlsx") {
		t.Fatalf("files %+v, %+v", doc, book)
	}
	if len(doc.Document.Content) < 1000 || string(doc.Document.Content[:2]) != "PK" {
		t.Errorf("the document is not a DOCX (%d bytes)", len(doc.Document.Content))
	}
}

// TestArrangeLater: a person replaced through an import is answered for
// later with /botri, by a district head of the commune's district;
// another user's press of those buttons changes nothing.
func TestArrangeLater(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	ctx := context.Background()
	// Lạc Sơn's Quý Hòa (05269): its semi-professional chief replaced by
	// a file, which asks nobody.
	rep, err := e.db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: "05269", Kind: store.Chief, Slot: 1},
		Status: store.Regular, Holder: "Quách Văn Hải", Actor: "import:bo-nhiem.csv", At: e.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Replaces() {
		t.Fatalf("the change replaced nobody: %+v", rep)
	}
	list := e.say(districtUser, "/botri")
	if !strings.Contains(list.PlainText, "Còn 1 người bán chuyên trách") || len(list.Keyboard) != 2 {
		t.Fatalf("/botri: %q %v", list.PlainText, list.Keyboard)
	}
	// Another commune's staff see nobody of theirs to arrange for.
	if got := e.say(communeUser, "/botri"); !strings.Contains(got.PlainText, "không còn") {
		t.Errorf("another commune's /botri: %q", got.PlainText)
	}
	// A press naming a report the user's scope does not cover, as a
	// forged button would, changes nothing: only the offered ids count.
	if ans := e.pressData(communeUser, list, list.Keyboard[0][0].CallbackData); !strings.Contains(ans.Text, "không còn hiệu lực") {
		t.Errorf("someone else's button: %q", ans.Text)
	}
	e.press(districtUser, list, list.Keyboard[0][0].Text)
	q := e.message(districtUser.ID, list.ID)
	if !strings.Contains(q.PlainText, "Quách Văn Hải") {
		t.Fatalf("question %q", q.PlainText)
	}
	e.press(districtUser, q, "Tiếp tục hỗ trợ Công an xã")
	person, err := e.db.ReplacedPerson(ctx, rep.ID)
	if err != nil || person.Arrangement != store.Supporting {
		t.Errorf("arrangement %+v, %v", person, err)
	}
}

// TestAsOfQuestions: a question about a past moment is answered from the
// reports as they stood then, and says so; the progress answer forecasts
// from the pace of the last weeks.
func TestAsOfQuestions(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	count := func(text string) (string, int) {
		t.Helper()
		got := e.say(districtUser, text).PlainText
		m := regexp.MustCompile(`còn (\d+) xã`).FindStringSubmatch(got)
		if m == nil {
			t.Fatalf("%q: no count in %q", text, got)
		}
		n, _ := strconv.Atoi(m[1])
		return got, n
	}
	// Tân Lập's semi-professional chief replaced today (16/03/2020).
	if _, err := e.db.ApplyChange(context.Background(), store.Change{Ref: store.PostRef{CommuneCode: communeUserScope, Kind: store.Chief, Slot: 1},
		Status: store.Regular, Holder: "Bùi Văn An", Actor: "user:1003", At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	_, now := count("lac son con bao nhieu xa chua co truong cong an chinh quy")
	text, then := count("tinh hinh ngay 15/03/2020 lac son con bao nhieu xa chua co truong cong an chinh quy")
	if then != now+1 || !strings.HasPrefix(text, "Tình hình đến hết ngày 15/03/2020") {
		t.Errorf("as of 15/03: %q (%d), now %d", text, then, now)
	}
	// The roster was imported at the first moment of 2020: before it,
	// nothing was known, and the answer says so rather than count every
	// commune as lacking its chief (TestMomentBeforeTheFirstReport).
	if text := e.say(districtUser, "đầu năm 2020 Lạc Sơn còn bao nhiêu xã chưa có trưởng CA chính quy").PlainText; !strings.Contains(text, "chưa có số liệu đến hết ngày 31/12/2019") {
		t.Errorf("as of the start of 2020: %q, want no figures before the first report", text)
	}
	// One chief in the eight weeks before: the pace of one a 56 days.
	if got := e.say(provinceUser, "tiến độ toàn tỉnh").PlainText; !strings.Contains(got, "Theo tốc độ 8 tuần qua, dự kiến đạt mục tiêu vào tháng") ||
		!strings.Contains(got, "(sau thời hạn 31/03/2020).") {
		t.Errorf("progress without a forecast: %q", got)
	}
}
