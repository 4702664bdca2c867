package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// TestPostingProposalInTheChat: a province user asks for the proposal,
// gets the workbook and a message with one button; a forged button and a
// stale one change nothing; the real one makes every row a report.
func TestPostingProposalInTheChat(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		ctx := context.Background()
		if got := e.say(districtUser, "/dexuat"); !strings.Contains(got.PlainText, "dành cho Công an tỉnh") {
			t.Errorf("district user: %q", got.PlainText)
		}
		rows, err := store.ParseCandidates(strings.NewReader("id,name,rank,service_since,home_commune_code,posts,available_from,notes\n" +
			"CA-157-01,Đinh Công Tráng,Đại úy,2008-09-01,05248,,2020-03-01,tiếng Mường\n" +
			"HV-2019-01,Bùi Văn Hùng,Thiếu úy,2019-08-01,05248,,2020-03-01,\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ImportCandidates(ctx, rows, "nguon.csv", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		n := len(e.srv.Messages(provinceUser.ID))
		if notice := e.say(provinceUser, "/dexuat"); !strings.Contains(notice.PlainText, "đang lập đề xuất") {
			t.Errorf("first answer %q", notice.PlainText)
		}
		wctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
		defer cancel()
		if err := e.srv.WaitFor(wctx, func() bool {
			for _, m := range e.srv.Messages(provinceUser.ID)[n:] {
				if len(m.Keyboard) > 0 {
					return true
				}
			}
			return false
		}); err != nil {
			t.Fatalf("no proposal with a button: %v", err)
		}
		var offer = e.srv.Messages(provinceUser.ID)[n]
		workbook := false
		for _, m := range e.srv.Messages(provinceUser.ID)[n:] {
			if m.Document != nil && strings.HasSuffix(m.Document.Name, ".xlsx") {
				workbook = true
			}
			if len(m.Keyboard) > 0 {
				offer = m
			}
		}
		if !workbook {
			t.Errorf("no workbook sent")
		}
		if !strings.Contains(offer.PlainText, "Đề xuất: 2 người") || !strings.Contains(offer.PlainText, "Đinh Công Tráng (Đại úy): Trưởng Công an") {
			t.Errorf("offer %q", offer.PlainText)
		}
		reports := func() int {
			t.Helper()
			r, err := e.db.ReportsBetween(ctx, store.Scope{}, time.Time{}, time.Now().AddDate(10, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			return len(r)
		}
		before := reports()

		// A button with another digest, or the province's button in a
		// district head's hands, changes nothing.
		data := offer.Keyboard[0][0].CallbackData
		button := func(to tgtest.User, data string) tgtest.Message {
			t.Helper()
			e.say(to, "/trogiup") // the chat must exist before the bot can write to it
			m := len(e.srv.Messages(to.ID))
			if err := (TelegramSender{Client: e.tg}).Send(e.ctx, to.ID, reminders.Message{Text: "Đề xuất",
				Buttons: [][]reminders.Button{{{Text: "Chấp nhận", Data: data}}}}); err != nil {
				t.Fatal(err)
			}
			return e.waitNew(to.ID, m)
		}
		if ans := e.press(provinceUser, button(provinceUser, data[:len(data)-4]+"beef"), "Chấp nhận"); !strings.Contains(ans.Text, "đã cũ") {
			t.Errorf("forged: %q", ans.Text)
		}
		if ans := e.press(districtUser, button(districtUser, data), "Chấp nhận"); !strings.Contains(ans.Text, "không còn hiệu lực") {
			t.Errorf("district head: %q", ans.Text)
		}
		if got := reports(); got != before {
			t.Fatalf("%d reports written by refused presses", got-before)
		}
		n = len(e.srv.Messages(provinceUser.ID))
		e.press(provinceUser, offer, offer.Keyboard[0][0].Text)
		if done := e.waitNew(provinceUser.ID, n); !strings.Contains(done.PlainText, "đã ghi nhận 2 vị trí") {
			t.Errorf("after the press: %q", done.PlainText)
		}
		if len(e.message(provinceUser.ID, offer.ID).Keyboard) != 0 {
			t.Errorf("the button stays under the accepted proposal")
		}
		if got := reports() - before; got != 2 {
			t.Fatalf("%d reports written, want 2", got)
		}
		people, err := e.db.Candidates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range people {
			if c.Status != store.CandidatePosted {
				t.Errorf("%s is %s, want posted", c.Name, c.Status)
			}
			if c.ID == "HV-2019-01" && c.Posted.Kind == store.Chief {
				t.Errorf("a new graduate posted as chief")
			}
		}
		// Pressed again: the proposal is now another one.
		if again := e.press(provinceUser, button(provinceUser, data), "Chấp nhận"); !strings.Contains(again.Text, "đã cũ") {
			t.Errorf("pressed twice: %q", again.Text)
		}
	})
}
