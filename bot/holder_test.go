package bot

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/understand"

	"github.com/caxbot/caxbot/store"
)

// TestHolderRefusedEveryWay: the same names are refused, with the same
// explanation in Vietnamese, whichever way they come: typed at the
// conversation's holder step, in the one-line /baocao, or as the name of
// an invitation; nothing is stored.
func TestHolderRefusedEveryWay(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{FloodLimit: 1000})
		p := e.bot.cat.Printer("vi", e.loc)
		tests := []struct {
			name, holder string
			want         string
		}{
			{"312 characters", strings.Repeat("Nguyễnvănbình", 24), p.T("bot.holder.holder_too_long", store.MaxHolderLength)},
			{"NUL", "Bùi\x00Văn An", p.T("bot.holder.holder_bad_chars")},
			{"a zero-width space", "Bùi\u200bVăn An", p.T("bot.holder.holder_bad_chars")},
			{"a phone number", "0912345678", p.T("bot.holder.holder_no_letter")},
			{"a command", "/huy", p.T("bot.holder.holder_command")},
		}
		// The conversation, up to its holder step: a command typed there
		// is the command (and leaves the draft: /moi below), so "/huy" is
		// for the other ways only.
		u := districtUser
		toHolderStep := func() {
			m := e.say(u, "/baocao")
			e.press(u, m, "Tân Lập")
			m = e.message(u.ID, m.ID)
			e.press(u, m, "Trưởng Công an xã")
			m = e.message(u.ID, m.ID)
			e.press(u, m, "Trưởng Công an xã: bán chuyên trách (Bùi Văn 05287-C1)")
			m = e.message(u.ID, m.ID)
			e.press(u, m, "chính quy")
		}
		reports := e.reportCount(communeUserScope)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				type way struct {
					name string
					say  func() string
				}
				var ways []way
				if !strings.HasPrefix(tt.holder, "/") {
					ways = append(ways, way{"hội thoại", func() string { toHolderStep(); return e.say(u, tt.holder).PlainText }})
				}
				ways = append(ways,
					way{"một dòng /baocao", func() string {
						return e.say(communeUser, "/baocao truong chinh quy "+tt.holder+" 15/03/2020").PlainText
					}},
					way{"lời mời /moi", func() string { return e.say(districtUser, "/moi "+tt.holder).PlainText }})
				for _, w := range ways {
					if got := w.say(); got != tt.want {
						t.Errorf("%s: answered %q, want %q", w.name, got, tt.want)
					}
				}
			})
		}
		if n := e.reportCount(communeUserScope); n != reports {
			t.Errorf("%d reports written", n-reports)
		}
		// After refusals the conversation still waits for a name, and
		// takes a good one.
		toHolderStep()
		for _, tt := range tests {
			if !strings.HasPrefix(tt.holder, "/") {
				e.say(u, tt.holder)
			}
		}
		if got := e.say(u, "  Bùi   Văn An "); !strings.Contains(got.PlainText, "chính quy (Bùi Văn An)") {
			t.Errorf("a good name after the refusals: %q", got.PlainText)
		}
	})
}

// TestQuestionAtTheHolderStep: a question typed where the report asks
// for the holder's name is answered, and the step still waits for the
// name; names, with diacritics or without, are still taken as names.
func TestQuestionAtTheHolderStep(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 1000})
	u := communeUser
	toHolderStep := func() {
		m := e.say(u, "/baocao")
		e.press(u, m, "Trưởng Công an xã")
		m = e.message(u.ID, m.ID)
		if len(m.Keyboard) > 0 && strings.HasPrefix(m.Keyboard[0][0].Text, "Trưởng Công an xã:") {
			e.press(u, m, m.Keyboard[0][0].Text)
			m = e.message(u.ID, m.ID)
		}
		e.press(u, m, "chính quy")
	}
	toHolderStep()
	if got := e.say(u, "tcax mik la ai").PlainText; !strings.HasPrefix(got, "Xã Tân Lập: Trưởng Công an xã là ") {
		t.Errorf("a question at the holder step:\n%s", got)
	}
	if got := e.say(u, "Hà Tiến Luân").PlainText; !strings.Contains(got, "chính quy (Hà Tiến Luân)") {
		t.Errorf("the name after the question:\n%s", got)
	}
	for _, name := range []string{"Nguyen Van Nam", "Bùi Văn Quyết Thắng", "Dinh Thi Thu", "Lò Văn Tiến", "Hoang Van Chinh", "Sa Thi Xa", "Hà Văn Chính", "Bùi Thị Quy", "Nguyễn Văn Ai", "Lê Văn Khuyết", "Đinh Công Thành", "Trần Văn Hỏi"} {
		e.say(u, "/moc") // leaves the draft at its date step
		toHolderStep()
		if got := e.say(u, name).PlainText; !strings.Contains(got, "chính quy ("+name+")") {
			t.Errorf("the name %q at the holder step:\n%s", name, got)
		}
	}
}

// TestNamesAreNotQuestions: the holders' names of the question sets, as
// written and without diacritics, are never read as a question at the
// holder step (whose words "Đạt", "Trọng", "Trương" are a question's too).
func TestNamesAreNotQuestions(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 1000})
	for _, path := range []string{"../cmd/caxbot/testdata/asks/posts.csv", "../cmd/caxbot/testdata/asks/blind/posts.csv"} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			for _, name := range []string{r[4], understand.Fold(r[4])} {
				if name != "" && e.bot.holderAside(name) {
					t.Errorf("%s: the name %q is read as a question", path, name)
				}
			}
		}
	}
}

// TestTextAtAButtonStep: a name typed where the report shows the
// statuses' buttons is answered with where to choose, not read as a
// place; a question there is answered; the draft still waits.
func TestTextAtAButtonStep(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 1000})
	u := communeUser
	m := e.say(u, "/baocao")
	e.press(u, m, "Trưởng Công an xã")
	m = e.message(u.ID, m.ID)
	if len(m.Keyboard) > 0 && strings.HasPrefix(m.Keyboard[0][0].Text, "Trưởng Công an xã:") {
		e.press(u, m, m.Keyboard[0][0].Text)
		m = e.message(u.ID, m.ID)
	}
	if got := e.say(u, "Nguyen Van Nam").PlainText; !strings.HasPrefix(got, "Đề nghị đồng chí chọn bằng các nút") {
		t.Errorf("a name at the status step:\n%s", got)
	}
	if got := e.say(u, "tcax mik la ai").PlainText; !strings.HasPrefix(got, "Xã Tân Lập: Trưởng Công an xã là ") {
		t.Errorf("a question at the status step:\n%s", got)
	}
	e.press(u, m, "chính quy")
	if got := e.message(u.ID, m.ID).PlainText; !strings.Contains(got, "Nhập họ tên") {
		t.Errorf("the draft after the text:\n%s", got)
	}
}
