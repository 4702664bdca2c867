package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

func TestAcknowledgeReminder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		// A reminder as the scheduler sends it, with its Đã nhận button.
		remind := func(to tgtest.User, milestone string) tgtest.Message {
			e.say(to, "/trogiup") // the chat must exist before the bot can write to it
			n := len(e.srv.Messages(to.ID))
			err := TelegramSender{Client: e.tg}.Send(e.ctx, to.ID, reminders.Message{
				Text:    "Nhắc việc: Bố trí Trưởng Công an xã chính quy",
				Buttons: [][]reminders.Button{{{Text: "Đã nhận", Data: reminders.AckCallbackData(milestone)}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			return e.waitNew(to.ID, n)
		}
		acks := func() int {
			t.Helper()
			list, err := e.db.Acks(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}

		tests := []struct {
			name      string
			user      tgtest.User
			milestone string
			want      string
			recorded  bool
		}{
			{"xã không xác nhận thay huyện", communeUser, "chief-q1-2020", "không còn hiệu lực", false},
			{"tỉnh không xác nhận nhắc việc của huyện", provinceUser, "chief-q1-2020", "không còn hiệu lực", false},
			{"mốc không có", districtUser, "moc-gia-mao", "không còn hiệu lực", false},
			{"lãnh đạo huyện xác nhận", districtUser, "chief-q1-2020", "đã ghi nhận", true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := acks()
				msg := remind(tt.user, tt.milestone)
				ans := e.press(tt.user, msg, "Đã nhận")
				if !strings.Contains(ans.Text, tt.want) {
					t.Errorf("answer %q, want %q", ans.Text, tt.want)
				}
				if got := acks() - before; got != map[bool]int{true: 1}[tt.recorded] {
					t.Errorf("%d acknowledgements recorded", got)
				}
				if tt.recorded && len(e.message(tt.user.ID, msg.ID).Keyboard) != 0 {
					t.Errorf("the button stays under the acknowledged reminder")
				}
			})
		}
	})
}

func TestWeeklyDigestOnDemand(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	if got := e.say(communeUser, "/baocaotuan"); !strings.Contains(got.PlainText, "lãnh đạo huyện và Công an tỉnh") {
		t.Errorf("commune user: %q", got.PlainText)
	}
	n := len(e.srv.Messages(districtUser.ID))
	if notice := e.say(districtUser, "/baocaotuan"); !strings.Contains(notice.PlainText, "đang lập bản tin") {
		t.Errorf("first answer %q, want the notice that the digest is being prepared", notice.PlainText)
	}
	if text := e.waitNew(districtUser.ID, n+1); !strings.Contains(text.PlainText, "Huyện Lạc Sơn: ") || strings.Contains(text.PlainText, "Toàn tỉnh") {
		t.Errorf("district digest text %q does not label the district's figures with the district", text.PlainText)
	}
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	err := e.srv.WaitFor(ctx, func() bool {
		for _, m := range e.srv.Messages(districtUser.ID)[n:] {
			if m.Document != nil && strings.HasSuffix(m.Document.Name, ".xlsx") {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no workbook sent: %v", err)
	}
	photos := 0
	for _, m := range e.srv.Messages(districtUser.ID)[n:] {
		if m.Photo != nil {
			photos++
		}
	}
	if photos == 0 {
		t.Errorf("no chart sent")
	}
}

// TestWeeklyDigestOnDemandSplitsLongText: a province's digest longer than
// one message (here, of a plan with many milestones under way) is sent as
// several, each within Telegram's limit, instead of being refused.
func TestWeeklyDigestOnDemandSplitsLongText(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	loc := e.loc
	plan := store.Plan{ID: "nhieu-moc", TitleVI: "Kế hoạch nhiều mốc"}
	for i := range 24 {
		plan.Milestones = append(plan.Milestones, store.Milestone{
			ID:       fmt.Sprintf("moc-%02d", i+1),
			TitleVI:  fmt.Sprintf("Bố trí Trưởng Công an xã chính quy tại các xã, thị trấn còn lại của tỉnh, đợt %d", i+1),
			Kind:     store.KindPosts,
			Posts:    []store.PostKind{store.Chief},
			Target:   store.Regular,
			Start:    time.Date(2020, 1, 1, 0, 0, 0, 0, loc),
			Deadline: time.Date(2020, 3, 20+i, 0, 0, 0, 0, loc),
		})
	}
	if err := e.db.SavePlan(e.ctx, plan, "test", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	n := len(e.srv.Messages(provinceUser.ID))
	e.say(provinceUser, "/baocaotuan")
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	err := e.srv.WaitFor(ctx, func() bool {
		for _, m := range e.srv.Messages(provinceUser.ID)[n:] {
			if m.Document != nil {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no workbook sent: %v", err)
	}
	var texts []string
	for _, m := range e.srv.Messages(provinceUser.ID)[n:] {
		if m.Photo == nil && m.Document == nil {
			texts = append(texts, m.PlainText)
		}
	}
	if len(texts) < 2 {
		t.Fatalf("the digest went as %d text message(s), want it split", len(texts))
	}
	all := strings.Join(texts, "\n")
	for _, m := range plan.Milestones {
		if !strings.Contains(all, m.TitleVI) {
			t.Errorf("the digest lacks %q", m.TitleVI)
		}
	}
	if !strings.Contains(all, "Toàn tỉnh: ") {
		t.Errorf("the province's figures are not labelled “Toàn tỉnh”:\n%s", all)
	}
}
