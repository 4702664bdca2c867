package bot

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
)

func TestIssueExample(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		forEachTransport(t, func(t *testing.T, webhook bool) {
			e := newEnv(t, be, webhook, Options{})
			got := e.say(provinceUser, "huyen lac son con bao nhieu xa chua co truong cong an chinh quy")
			if !strings.Contains(got.PlainText, "còn 16 xã") {
				t.Errorf("answer %q lacks the 16 communes", got.PlainText)
			}
		})
	})
}

func TestOnboarding(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		ctx := context.Background()
		now := e.clock.Now()
		mk := func(scope store.Scope, ttl time.Duration) string {
			inv, err := store.NewInvitation(rand.Reader, scope, "Lò Văn Mới", "user:1001", now.Add(-time.Hour), ttl)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.db.CreateInvitation(ctx, inv); err != nil {
				t.Fatal(err)
			}
			return inv.Code
		}
		valid := mk(store.Scope{Role: store.RoleCommune, Code: "05287"}, 48*time.Hour)
		expired := mk(store.Scope{Role: store.RoleCommune, Code: "05287"}, 30*time.Minute)
		used := mk(store.Scope{Role: store.RoleCommune, Code: "05287"}, 48*time.Hour)
		if _, err := e.db.RedeemInvitation(ctx, used, 3999, "Ai đó", now); err != nil {
			t.Fatal(err)
		}

		// A stranger learns what the bot is, and nothing of the roster.
		about := e.say(stranger, "huyen lac son con bao nhieu xa chua co truong cong an chinh quy")
		if !strings.Contains(about.PlainText, "đường dẫn mời") || strings.Contains(about.PlainText, "16") {
			t.Errorf("stranger got %q", about.PlainText)
		}
		tests := []struct {
			name, code, want string
		}{
			{"mã không tồn tại", "khong-co-ma-nay", "không đúng"},
			{"mã hết hạn", expired, "hết hạn"},
			{"mã đã dùng", used, "đã được sử dụng"},
			{"mã hợp lệ", valid, "đã được đăng ký"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := e.say(stranger, "/start "+tt.code)
				if !strings.Contains(got.PlainText, tt.want) {
					t.Errorf("answer %q, want %q in it", got.PlainText, tt.want)
				}
			})
		}
		u, err := e.db.User(ctx, stranger.ID)
		if err != nil {
			t.Fatalf("the valid code did not register the user: %v", err)
		}
		if u.Role != store.RoleCommune || u.Scope != "05287" || u.Lang != "vi" {
			t.Errorf("registered as %+v", u)
		}
		// Once registered, questions about the own commune are answered.
		got := e.say(stranger, "xa minh con thieu gi khong")
		if !strings.Contains(got.PlainText, "Tân Lập") {
			t.Errorf("registered user got %q", got.PlainText)
		}
	})
}

// reportToConfirm walks the district head through the conversation up to
// the confirmation of Tân Lập's chief, now regular, held by Bùi Văn An.
func reportToConfirm(t *testing.T, e *env) tgtest.Message {
	t.Helper()
	u := districtUser
	m := e.say(u, "/baocao")
	e.press(u, m, "Tân Lập")
	m = e.message(u.ID, m.ID)
	e.press(u, m, "Trưởng Công an xã")
	m = e.message(u.ID, m.ID)
	e.press(u, m, "Trưởng Công an xã: bán chuyên trách (Bùi Văn 05287-C1)")
	m = e.message(u.ID, m.ID)
	e.press(u, m, "chính quy")
	m = e.say(u, "Bùi Văn An")
	e.press(u, m, "Hôm nay")
	m = e.message(u.ID, m.ID)
	if !strings.Contains(m.PlainText, "bán chuyên trách (Bùi Văn 05287-C1) → chính quy (Bùi Văn An)") ||
		!strings.Contains(m.PlainText, "16/03/2020") {
		t.Fatalf("confirmation %q", m.PlainText)
	}
	return m
}

func TestReportConversation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		forEachTransport(t, func(t *testing.T, webhook bool) {
			e := newEnv(t, be, webhook, Options{})
			before := e.reportCount("05287")
			m := reportToConfirm(t, e)
			e.press(districtUser, m, "Xác nhận")
			m = e.message(districtUser.ID, m.ID)
			if !strings.Contains(m.PlainText, "đã ghi nhận báo cáo") || len(m.Keyboard) != 0 {
				t.Errorf("after confirming: %q %v", m.PlainText, m.Keyboard)
			}
			if n := e.reportCount("05287"); n != before+1 {
				t.Errorf("reports: %d, want %d", n, before+1)
			}
			posts, err := e.db.CommunePosts(context.Background(), "05287")
			if err != nil {
				t.Fatal(err)
			}
			chief := posts[0]
			if chief.Kind != store.Chief || chief.Status != store.Regular || chief.Holder != "Bùi Văn An" ||
				chief.Since == nil || chief.Since.Format(time.DateOnly) != "2020-03-16" {
				t.Errorf("chief now %+v", chief)
			}
			h, _ := e.db.History(context.Background(), "05287", 1)
			if h[0].Actor != "user:1002" || h[0].OldStatus != store.Semi {
				t.Errorf("report %+v", h[0])
			}
		})
	})
}

func TestReportCancel(t *testing.T) {
	e := newEnv(t, backends[0], true, Options{})
	u := districtUser
	m := e.say(u, "/baocao")
	e.press(u, m, "Tân Lập")
	old := m
	m = e.message(u.ID, m.ID)
	e.press(u, m, "Hủy")
	if m = e.message(u.ID, m.ID); m.PlainText != "Đã hủy." {
		t.Errorf("after cancel: %q", m.PlainText)
	}
	// /huy with nothing going on says so.
	if got := e.say(u, "/huy"); !strings.Contains(got.PlainText, "Không có thao tác") {
		t.Errorf("/huy: %q", got.PlainText)
	}
	// An old keyboard's button (as a slow phone would still show it) is stale.
	if code := e.postWebhook(secret, callbackUpdate(700001, u, u.ID, old.ID, old.Keyboard[0][0].CallbackData)); code != 200 {
		t.Errorf("status %d", code)
	}
	calls := e.srv.CallsOf("answerCallbackQuery")
	if last := calls[len(calls)-1]; !strings.Contains(last.Params["text"], "không còn hiệu lực") {
		t.Errorf("stale press answered %q", last.Params["text"])
	}
}

// callbackUpdate is a button press as Telegram posts it to the webhook.
func callbackUpdate(updateID int64, from tgtest.User, chat int64, msgID int64, data string) string {
	return fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cb%d","from":{"id":%d,"is_bot":false,"first_name":"x"},`+
		`"chat_instance":"1","message":{"message_id":%d,"date":1584324000,"chat":{"id":%d,"type":"private"},"text":"x"},"data":%q}}`,
		updateID, updateID, from.ID, msgID, chat, data)
}

func TestDoubleTapAndForgedButtons(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		m := reportToConfirm(t, e)
		confirm := ""
		for _, b := range m.Keyboard[0] {
			if b.Text == "Xác nhận" {
				confirm = b.CallbackData
			}
		}
		before := e.reportCount("05287")
		nonce := strings.Split(confirm, ":")[1]

		// Forged presses: another user replaying the data in their chat, an
		// index the step does not have, a made-up nonce.
		forged := []struct {
			name string
			body string
		}{
			{"người khác dùng lại nút", callbackUpdate(900001, communeUser, communeUser.ID, m.ID, confirm)},
			{"người khác trong cùng chat", callbackUpdate(900002, communeUser, districtUser.ID, m.ID, confirm)},
			{"chỉ số không có", callbackUpdate(900003, districtUser, districtUser.ID, m.ID, "c:"+nonce+":99")},
			{"nonce bịa", callbackUpdate(900004, districtUser, districtUser.ID, m.ID, "c:AAAAAAAAAAAA:0")},
			{"dữ liệu lạ", callbackUpdate(900005, districtUser, districtUser.ID, m.ID, "c:05350:chief:1:regular")},
		}
		for _, f := range forged {
			t.Run(f.name, func(t *testing.T) {
				if code := e.postWebhook(secret, f.body); code != 200 {
					t.Errorf("status %d", code)
				}
				if n := e.reportCount("05287"); n != before {
					t.Errorf("a forged press wrote a report")
				}
			})
		}
		// A double tap: two deliveries of Confirm; one report only.
		for i, id := range []int64{900010, 900011} {
			if code := e.postWebhook(secret, callbackUpdate(id, districtUser, districtUser.ID, m.ID, confirm)); code != 200 {
				t.Errorf("tap %d: status %d", i, code)
			}
		}
		if n := e.reportCount("05287"); n != before+1 {
			t.Errorf("reports after a double tap: %d, want %d", n, before+1)
		}
		stale := 0
		for _, c := range e.srv.CallsOf("answerCallbackQuery") {
			if strings.Contains(c.Params["text"], "không còn hiệu lực") {
				stale++
			}
		}
		if stale != len(forged)+1 {
			t.Errorf("%d presses answered as stale, want %d", stale, len(forged)+1)
		}
	})
}

func TestWebhookGuards(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		msg := func(id int64) string {
			return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1584324000,"from":{"id":%d,"is_bot":false,"first_name":"T"},`+
				`"chat":{"id":%d,"type":"private"},"text":"tien do huyen lac son"}}`, id, id, provinceUser.ID, provinceUser.ID)
		}
		e.srv.AddUser(provinceUser)
		tests := []struct {
			name   string
			secret string
			body   string
			want   int
		}{
			{"sai secret", "wrong", msg(800001), 401},
			{"không có secret", "", msg(800002), 401},
			{"JSON hỏng", secret, `{"update_id":`, 400},
			{"đúng", secret, msg(800003), 200},
			{"lặp update_id", secret, msg(800003), 200},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := e.postWebhook(tt.secret, tt.body); got != tt.want {
					t.Errorf("status %d, want %d", got, tt.want)
				}
			})
		}
		// Only the good update was answered, once.
		if n := len(e.srv.Messages(provinceUser.ID)); n != 1 {
			t.Errorf("%d answers, want 1", n)
		}
	})
}

func TestScopes(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	tests := []struct {
		name     string
		user     tgtest.User
		question string
		want     string
		not      string
	}{
		{"tỉnh xem huyện", provinceUser, "/thieu huyện Mai Châu", "Huyện Mai Châu", ""},
		{"huyện xem xã của mình", districtUser, "/xa Tân Lập", "Bùi Văn 05287-C1", ""},
		{"huyện không xem huyện khác", districtUser, "/tiendo huyện Kim Bôi", "ngoài phạm vi", "Kim Bôi:"},
		{"huyện không xem xã huyện khác", districtUser, "/xa Xuân Thủy", "ngoài phạm vi", "Bùi Văn"},
		{"xã xem xã mình", communeUser, "/xa", "Bùi Văn 05287-C1", ""},
		{"xã không xem xã khác", communeUser, "/lichsu Thượng Cốc", "ngoài phạm vi", "import"},
		{"xã không xem toàn tỉnh", communeUser, "toan tinh con bao nhieu xa chua co truong cong an chinh quy", "ngoài phạm vi", "còn"},
		{"xã không được mời", communeUser, "/moi", "không có quyền", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shown(e.say(tt.user, tt.question))
			if !strings.Contains(got, tt.want) || tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("got %q, want %q and not %q", got, tt.want, tt.not)
			}
		})
	}
}

func TestInviteInChat(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, false, Options{})
		u := provinceUser
		m := e.say(u, "/moi Hà Thị Lan")
		e.press(u, m, "Công an xã")
		m = e.message(u.ID, m.ID)
		e.press(u, m, "Huyện Lạc Sơn")
		m = e.message(u.ID, m.ID)
		e.press(u, m, "Tân Lập")
		m = e.message(u.ID, m.ID)
		i := strings.Index(m.PlainText, "?start=")
		if i < 0 {
			t.Fatalf("no link in %q", m.PlainText)
		}
		code := strings.Fields(m.PlainText[i+len("?start="):])[0]
		got := e.say(stranger, "/start "+code)
		if !strings.Contains(got.PlainText, "Hà Thị Lan") || !strings.Contains(got.PlainText, "xã Tân Lập") {
			t.Errorf("welcome %q", got.PlainText)
		}
		log, err := e.db.AuditLog(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, a := range log {
			actions[a.Action+" "+a.Actor] = true
		}
		if !actions["create_invitation user:1001"] || !actions["redeem_invitation user:2001"] {
			t.Errorf("audit %v", actions)
		}
		// A district head invites only commune users of the district.
		m = e.say(districtUser, "/moi")
		if len(m.Keyboard) == 0 || m.Keyboard[0][0].Text != "Vụ Bản" {
			t.Errorf("district head's invitation starts with %q %v", m.PlainText, m.Keyboard)
		}
	})
}

func TestShortReport(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	u := communeUser
	before := e.reportCount(communeUserScope)
	m := e.say(u, "/baocao truong chinh quy Bùi Văn An 15/03/2020")
	if !strings.Contains(m.PlainText, "→ chính quy (Bùi Văn An)") || !strings.Contains(m.PlainText, "15/03/2020") {
		t.Fatalf("confirmation %q", m.PlainText)
	}
	if n := e.reportCount(communeUserScope); n != before {
		t.Fatalf("written before confirmation")
	}
	n := len(e.srv.Messages(u.ID))
	e.press(u, m, "Xác nhận")
	if n := e.reportCount(communeUserScope); n != before+1 {
		t.Errorf("reports %d, want %d", n, before+1)
	}
	// The new chief is regular: the bot asks for the decision first,
	// which may come later.
	dq := e.waitNew(u.ID, n)
	if !strings.Contains(dq.PlainText, "quyết định điều động, bổ nhiệm") {
		t.Fatalf("decision question %q", dq.PlainText)
	}
	e.press(u, dq, "Gửi sau")
	// The chief replaced was semi-professional: the bot asks what
	// becomes of him, and records the answer.
	q := e.waitNew(u.ID, n+1)
	if !strings.Contains(q.PlainText, "đã được thay thế bằng Công an chính quy Bùi Văn An") || !strings.Contains(q.PlainText, "phương án bố trí") {
		t.Fatalf("question %q", q.PlainText)
	}
	e.press(u, q, "Nghỉ hưởng chế độ")
	h, err := e.db.History(context.Background(), communeUserScope, 1)
	if err != nil {
		t.Fatal(err)
	}
	person, err := e.db.ReplacedPerson(context.Background(), h[0].ID)
	if err != nil || person.Arrangement != store.Retired || person.By != "user:1003" {
		t.Errorf("arrangement %+v, %v", person, err)
	}
	if got := e.message(u.ID, q.ID); !strings.Contains(got.PlainText, "Hệ thống đã ghi nhận phương án bố trí") || len(got.Keyboard) != 0 {
		t.Errorf("after the answer: %q %v", got.PlainText, got.Keyboard)
	}
	if got := e.say(u, "/botri"); !strings.Contains(got.PlainText, "không còn người bán chuyên trách nào") {
		t.Errorf("/botri after the answer: %q", got.PlainText)
	}
	tests := []struct{ text, want string }{
		{"/baocao pho", "Thiếu tình trạng"},
		{"/baocao truong chinh quy Bùi Văn An 15/03/2021", "không sau ngày hôm nay"},
		{"/baocao xa Thuong Coc truong chinh quy Lê Văn C", "ngoài phạm vi"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := e.say(u, tt.text); !strings.Contains(got.PlainText, tt.want) {
				t.Errorf("got %q, want %q", got.PlainText, tt.want)
			}
		})
	}
}

func TestSafety(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 3, MaxTextLength: 50})
	u := provinceUser
	if got := e.say(u, strings.Repeat("xã nào ", 20)); !strings.Contains(got.PlainText, "quá dài") {
		t.Errorf("long message: %q", got.PlainText)
	}
	e.say(u, "/moc")
	e.say(u, "/moc")
	if got := e.say(u, "/moc"); !strings.Contains(got.PlainText, "quá nhanh") {
		t.Errorf("over the flood limit: %q", got.PlainText)
	}
	// Only one notice per window: the next message gets no answer.
	n := len(e.srv.Messages(u.ID))
	id := e.srv.SendText(u, u.ID, "/moc")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.WaitFor(ctx, func() bool { return e.srv.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	e.say(districtUser, "/moc") // handled after the flooded update: the queue has moved on
	if got := len(e.srv.Messages(u.ID)); got != n {
		t.Errorf("update %d over the limit was answered", id)
	}
}

func TestRegisterCommands(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	if err := e.bot.RegisterCommands(context.Background(), e.tg); err != nil {
		t.Fatal(err)
	}
	// Private chats start with what everyone may use (TestMenusByRole has
	// each user's), groups with the groups' menu, in both languages.
	e.srv.AddGroup(-800, "Nhóm")
	for _, tt := range []struct {
		chat int64
		lang string
		want string
	}{
		{stranger.ID, "vi", "huy ngonngu trogiup"},
		{stranger.ID, "en", "huy ngonngu trogiup"},
		{-800, "vi", strings.Join(groupMenu, " ")},
	} {
		if got := strings.Join(e.srv.CommandsShown(tt.chat, stranger.ID, tt.lang), " "); got != tt.want {
			t.Errorf("chat %d (%s): menu %q, want %q", tt.chat, tt.lang, got, tt.want)
		}
	}
	calls := e.srv.CallsOf("setMyCommands")
	if len(calls) != 4 || calls[2].Params["language_code"] != "en" || !strings.Contains(calls[2].Params["commands"], "Cancel") {
		t.Errorf("setMyCommands calls %+v", calls)
	}
}

// TestWebhookAnswerRidesInResponse checks which call travels in the
// webhook's 200 body instead of through the client: a question's answer
// (sendMessage), and a button press's callback answer, while the press's
// edit still goes through the client so that it is on screen first.
func TestWebhookAnswerRidesInResponse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		e.srv.AddUser(districtUser)
		type answer struct {
			Method          string `json:"method"`
			ChatID          int64  `json:"chat_id"`
			Text            string `json:"text"`
			CallbackQueryID string `json:"callback_query_id"`
		}
		post := func(body string) answer {
			t.Helper()
			code, raw := e.postWebhookAnswer(secret, body)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			var a answer
			if err := json.Unmarshal(raw, &a); err != nil {
				t.Fatalf("answer %q: %v", raw, err)
			}
			return a
		}

		calls := len(e.srv.Calls())
		q := fmt.Sprintf(`{"update_id":700001,"message":{"message_id":1,"date":1584324000,"from":{"id":%d,"is_bot":false,"first_name":"H"},`+
			`"chat":{"id":%d,"type":"private"},"text":"xa tan lap co truong chinh quy chua"}}`, districtUser.ID, districtUser.ID)
		a := post(q)
		if a.Method != "sendMessage" || a.ChatID != districtUser.ID || !strings.Contains(a.Text, "Tân Lập") {
			t.Errorf("answer to a question = %+v, want a sendMessage about Tân Lập", a)
		}
		if n := len(e.srv.Calls()); n != calls {
			t.Errorf("%d calls through the client for a question, want 0", n-calls)
		}

		sent := len(e.srv.CallsOf("sendMessage"))
		m := e.say(districtUser, "/baocao")
		// The message is in the chat a moment before its call is recorded.
		wait, cancel := context.WithTimeout(e.ctx, 10*time.Second)
		defer cancel()
		if err := e.srv.WaitFor(wait, func() bool { return len(e.srv.CallsOf("sendMessage")) > sent }); err != nil {
			t.Fatal(err)
		}
		var tanLap string
		for _, row := range m.Keyboard {
			for _, b := range row {
				if b.Text == "Tân Lập" {
					tanLap = b.CallbackData
				}
			}
		}
		if tanLap == "" {
			t.Fatalf("no Tân Lập button in %q", shown(m))
		}
		calls = len(e.srv.Calls())
		a = post(callbackUpdate(700002, districtUser, districtUser.ID, m.ID, tanLap))
		if a.Method != "answerCallbackQuery" || a.CallbackQueryID != "cb700002" || a.Text != "" {
			t.Errorf("answer to a press = %+v, want a silent answerCallbackQuery for cb700002", a)
		}
		var methods []string
		for _, c := range e.srv.Calls()[calls:] {
			methods = append(methods, c.Method)
		}
		if len(methods) != 1 || methods[0] != "editMessageText" {
			t.Errorf("calls through the client for a press = %v, want [editMessageText]", methods)
		}
		if got := e.message(districtUser.ID, m.ID); !strings.Contains(got.PlainText, "Tân Lập") {
			t.Errorf("after the press the message reads %q", got.PlainText)
		}
	})
}

// TestRosterReload checks that a running bot, on either transport, picks
// up a commune imported while it runs (by the CLI or another replica):
// first it does not know the name, then, once its next roster check has
// seen the generation move, it answers about it.
func TestRosterReload(t *testing.T) {
	forEachTransport(t, func(t *testing.T, webhook bool) {
		e := newEnv(t, backends[0], webhook, Options{RosterCheck: 20 * time.Millisecond, FloodLimit: 1000})
		u := districtUser
		e.srv.AddUser(u)
		const question = "/xa Đồi Mây"
		if got := e.say(u, question).PlainText; !strings.Contains(got, "Không tìm thấy") {
			t.Fatalf("before the import the bot already answers %q", got)
		}
		e.addDoiMay()
		e.askUntil(u, question, func(got string) bool {
			return strings.Contains(got, "Đồi Mây") && !strings.Contains(got, "Không tìm thấy")
		})
	})
}

// TestSameNewPostTwice has a district head and a commune officer add the
// same new officer post of Tân Lập at the same time, with different
// holders: the first confirmation is written, the second is told that
// someone else just changed the post, and nothing is overwritten.
func TestSameNewPostTwice(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{})
	newSlot := func(m tgtest.Message) string {
		for _, row := range m.Keyboard {
			for _, b := range row {
				if strings.HasPrefix(b.Text, "+ Thêm") {
					return b.Text
				}
			}
		}
		t.Fatalf("no button to add a post under %q", shown(m))
		return ""
	}
	toConfirm := func(u tgtest.User, holder string) tgtest.Message {
		m := e.say(u, "/baocao")
		if u == districtUser {
			e.press(u, m, "Tân Lập")
			m = e.message(u.ID, m.ID)
		}
		e.press(u, m, "Công an viên")
		m = e.message(u.ID, m.ID)
		e.press(u, m, newSlot(m))
		m = e.message(u.ID, m.ID)
		e.press(u, m, "chính quy")
		m = e.say(u, holder)
		e.press(u, m, "Hôm nay")
		return e.message(u.ID, m.ID)
	}
	first := toConfirm(districtUser, "Hà Văn Tư")
	second := toConfirm(communeUser, "Đinh Văn Năm")
	before := e.reportCount(communeUserScope)
	e.press(districtUser, first, "Xác nhận")
	e.press(communeUser, second, "Xác nhận")
	if got := e.message(communeUser.ID, second.ID).PlainText; !strings.Contains(got, "vừa được người khác cập nhật") {
		t.Errorf("the second confirmation reads %q, want to be told the post just changed", got)
	}
	if n := e.reportCount(communeUserScope); n != before+1 {
		t.Errorf("%d reports written, want 1", n-before)
	}
	posts, err := e.db.CommunePosts(e.ctx, communeUserScope)
	if err != nil {
		t.Fatal(err)
	}
	if last := posts[len(posts)-1]; last.Holder != "Hà Văn Tư" {
		t.Errorf("the new post = %+v, want the first report's holder", last)
	}
}

// TestCancelSaysItOnce: /huy during a draft edits the draft's message to
// "Đã hủy." (its buttons gone) and sends nothing more: the next message
// in the chat is the answer to what the user types next.
func TestCancelSaysItOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		forEachTransport(t, func(t *testing.T, webhook bool) {
			e := newEnv(t, be, webhook, Options{FloodLimit: 10000})
			for _, tt := range []struct {
				name  string
				user  tgtest.User
				start string
			}{
				{"an announcement's draft", provinceUser, "/thongbao"},
				{"a report's first step", districtUser, "/baocao"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					draft := e.say(tt.user, tt.start)
					if len(draft.Keyboard) == 0 {
						t.Fatalf("%s: the draft has no buttons: %s", tt.start, shown(draft))
					}
					e.huy(tt.user)
					if m := e.message(tt.user.ID, draft.ID); m.PlainText != "Đã hủy." || len(m.Keyboard) != 0 {
						t.Errorf("the draft's message after /huy: %s", shown(m))
					}
					if next := e.say(tt.user, "/trogiup"); next.PlainText == "Đã hủy." {
						t.Errorf("/huy answered twice: a new message says %q too", next.PlainText)
					}
				})
			}
		})
	})
}
