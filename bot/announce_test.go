package bot

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// Recipients the tests add besides env's users.
var (
	communeUser2 = tgtest.User{ID: 1004, FirstName: "Xã khác", LanguageCode: "vi"}     // a xã of Lạc Sơn
	communeUser3 = tgtest.User{ID: 1005, FirstName: "Huyện khác", LanguageCode: "en"}  // a xã of another district, reading English
	unitUser     = tgtest.User{ID: 1006, FirstName: "Sở Nội vụ", LanguageCode: "vi"}   // unit SNV
	blockedUser  = tgtest.User{ID: 1007, FirstName: "Đã chặn bot", LanguageCode: "vi"} // a commune user who blocked the bot
)

// addRecipients imports the units and adds the users above.
func (e *env) addRecipients() {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.db.ImportUnits(ctx, []store.UnitRow{
		{Line: 2, Unit: store.ReportingUnit{Code: "SNV", Name: "Sở Nội vụ"}},
		{Line: 3, Unit: store.ReportingUnit{Code: "STC", Name: "Sở Tài chính"}},
	}, "17", "so-nganh.csv", e.clock.Now()); err != nil {
		e.t.Fatal(err)
	}
	lacSon, err := e.db.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: "157"})
	if err != nil {
		e.t.Fatal(err)
	}
	other, err := e.db.Communes(ctx, store.Scope{Role: store.RoleDistrict, Code: "148"})
	if err != nil {
		e.t.Fatal(err)
	}
	var second string
	for _, c := range lacSon {
		if c.Code != communeUserScope && c.Type == store.Xa {
			second = c.Code
			break
		}
	}
	for _, u := range []store.User{
		{TelegramID: communeUser2.ID, Name: "Đinh Văn Bình", Role: store.RoleCommune, Scope: second},
		{TelegramID: communeUser3.ID, Name: "Hà Văn Công", Role: store.RoleCommune, Scope: other[0].Code, Lang: "en"},
		{TelegramID: unitUser.ID, Name: "Bùi Thị Lan", Role: store.RoleUnit, Scope: "SNV"},
		{TelegramID: blockedUser.ID, Name: "Lò Văn Tâm", Role: store.RoleCommune, Scope: second},
	} {
		if err := e.db.AddUser(ctx, u, "test", e.clock.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
	for _, u := range []tgtest.User{communeUser, communeUser2, communeUser3, unitUser, blockedUser, districtUser} {
		e.srv.AddUser(u)
	}
	e.srv.Block(blockedUser.ID)
	// As the bot's roster check does within Options.RosterCheck.
	if err := e.bot.Reload(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// drain sends what the outbox holds through the env's client, as the
// serve command's Drainer does.
func (e *env) drain() {
	e.t.Helper()
	d := &reminders.Drainer{Outbox: e.db, Sender: TelegramSender{Client: e.tg}, Limiter: state.NewMemory(time.Now),
		Now: e.clock.Now, Sleep: reminders.SleepContext, Rand: rand.New(rand.NewPCG(1, 2)), Owner: "test",
		Global: reminders.Rate{PerSecond: 1000, Burst: 100}, Chat: reminders.Rate{PerSecond: 1000, Burst: 5}}
	for {
		n, err := d.Drain(e.ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// lastMessage is the latest message in a chat, "" when there is none.
func (e *env) lastMessage(chat int64) tgtest.Message {
	ms := e.srv.Messages(chat)
	if len(ms) == 0 {
		return tgtest.Message{}
	}
	return ms[len(ms)-1]
}

func TestAnnouncement(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		e.addRecipients()

		// The province writes the text after the command is typed alone,
		// chooses the commune police, sees how many, and confirms.
		ask := e.say(provinceUser, "/thongbao")
		if !strings.Contains(ask.PlainText, "Nhập nội dung thông báo (tối đa 1.000 ký tự)") {
			t.Fatalf("ask for the text: %s", shown(ask))
		}
		text := "Đề nghị Công an các xã hoàn thành báo cáo <danh sách> trước ngày 20/03/2020."
		roles := e.say(provinceUser, text)
		for _, want := range []string{"Chọn người nhận thông báo trên địa bàn tỉnh Hòa Bình", text,
			"[Tất cả (6 người)]", "[Công an xã (4 người)]", "[Lãnh đạo huyện (1 người)]", "[Sở, ngành (1 người)]", "[Hủy]"} {
			if !strings.Contains(shown(roles), want) {
				t.Errorf("roles lack %q:\n%s", want, shown(roles))
			}
		}
		e.press(provinceUser, roles, "Công an xã (4 người)")
		preview := e.message(provinceUser.ID, roles.ID)
		if !strings.Contains(preview.PlainText, "Thông báo sẽ gửi tới 4 người (Công an xã) trên địa bàn tỉnh Hòa Bình.") {
			t.Errorf("preview: %s", shown(preview))
		}
		if n := len(e.srv.CallsOf("sendMessage")); n == 0 {
			t.Fatal("no message at all")
		}
		e.press(provinceUser, preview, "Gửi (4 người)")
		queued := e.message(provinceUser.ID, roles.ID)
		if !strings.Contains(queued.PlainText, "Hệ thống đã đưa thông báo số 1 vào hàng gửi tới 4 người. Xem ai chưa đọc: /thongbao_1") || len(queued.Keyboard) != 0 {
			t.Errorf("queued: %s", shown(queued))
		}

		e.drain()
		got := e.lastMessage(communeUser.ID)
		if !strings.Contains(got.PlainText, "📢 Thông báo của Công an tỉnh Hòa Bình (Cán bộ), 09:00 ngày 16/03/2020:") ||
			!strings.Contains(got.PlainText, text) || len(got.Keyboard) != 1 || got.Keyboard[0][0].Text != "Đã đọc" {
			t.Errorf("announcement as received: %s", shown(got))
		}
		if en := e.lastMessage(communeUser3.ID); !strings.Contains(en.PlainText, "📢 Announcement from") || en.Keyboard[0][0].Text != "Read" {
			t.Errorf("in English: %s", shown(en))
		}
		for _, u := range []tgtest.User{districtUser, unitUser} {
			if m := e.lastMessage(u.ID); strings.Contains(m.PlainText, text) {
				t.Errorf("%d received an announcement meant for the commune police", u.ID)
			}
		}

		// Forged presses change nothing: someone it was not sent to
		// replaying the button, an announcement that does not exist, data
		// that is no number.
		for i, c := range []struct {
			from tgtest.User
			data string
		}{
			{districtUser, "rd:1"},
			{communeUser, "rd:99"},
			{communeUser, "rd:1; DROP TABLE users"},
		} {
			if code := e.postWebhook(secret, callbackUpdate(int64(900001+i), c.from, c.from.ID, got.ID, c.data)); code != 200 {
				t.Errorf("forged %q: status %d", c.data, code)
			}
		}
		stale := 0
		for _, c := range e.srv.CallsOf("answerCallbackQuery") {
			if strings.Contains(c.Params["text"], "không còn hiệu lực") {
				stale++
			}
		}
		if stale != 3 {
			t.Errorf("%d forged presses answered as stale, want 3", stale)
		}
		if readers, err := e.db.AnnouncementReaders(e.ctx, 1); err != nil || slices.ContainsFunc(readers, func(r store.AnnouncementReader) bool { return r.ReadAt != nil }) {
			t.Errorf("a forged press marked a read: %+v, %v", readers, err)
		}
		if ans := e.press(communeUser, got, "Đã đọc"); ans.Text != "Hệ thống đã ghi nhận đồng chí đã đọc thông báo." {
			t.Errorf("read: %+v", ans)
		}
		if m := e.message(communeUser.ID, got.ID); len(m.Keyboard) != 0 {
			t.Errorf("the button stays after reading: %s", shown(m))
		}
		// A second delivery of the press (a double tap) counts once.
		if code := e.postWebhook(secret, callbackUpdate(900010, communeUser, communeUser.ID, got.ID, "rd:1")); code != 200 {
			t.Errorf("second press: status %d", code)
		}
		answers := e.srv.CallsOf("answerCallbackQuery")
		if last := answers[len(answers)-1].Params["text"]; last != "Đồng chí đã xác nhận đọc thông báo này trước đó." {
			t.Errorf("read again: %q", last)
		}

		// Who has not read it, by unit; the user who blocked the bot (found
		// out when it was sent) is said so.
		status := e.say(provinceUser, "/thongbao_1")
		for _, want := range []string{"📢 Thông báo số 1, gửi 09:00 ngày 16/03/2020 tới 4 người:", "Đã đọc: 1/4 (25,0%).",
			"Chưa đọc (3 người), theo đơn vị:", "Đinh Văn Bình", "Lò Văn Tâm (đã chặn bot, không nhận được)", "Hà Văn Công"} {
			if !strings.Contains(status.PlainText, want) {
				t.Errorf("status lacks %q:\n%s", want, status.PlainText)
			}
		}
		if strings.Contains(status.PlainText, "Cán bộ") {
			t.Errorf("status names who read it:\n%s", status.PlainText)
		}
		if ans := e.say(districtUser, "/thongbao_1"); !strings.Contains(ans.PlainText, "Không có thông báo số 1 trong phạm vi đồng chí được xem.") {
			t.Errorf("a district head asks about the province's announcement: %s", ans.PlainText)
		}

		// A district head reaches the communes of the district only; a
		// unit and a commune cannot announce.
		roles = e.say(districtUser, "/thongbao Họp giao ban lúc 14:00 ngày 17/03/2020 tại Công an huyện.")
		if !strings.Contains(shown(roles), "[Tất cả (2 người)]") || !strings.Contains(shown(roles), "[Công an xã (2 người)]") || strings.Contains(shown(roles), "Sở, ngành") {
			t.Errorf("district roles:\n%s", shown(roles))
		}
		e.press(districtUser, roles, "Tất cả (2 người)")
		e.press(districtUser, e.message(districtUser.ID, roles.ID), "Gửi (2 người)")
		e.drain()
		if m := e.lastMessage(communeUser2.ID); !strings.Contains(m.PlainText, "Thông báo của Lãnh đạo huyện Lạc Sơn") {
			t.Errorf("district announcement: %s", shown(m))
		}
		if m := e.lastMessage(communeUser3.ID); strings.Contains(m.PlainText, "Họp giao ban") {
			t.Error("a commune of another district received the district's announcement")
		}
		// The province may ask about a district's announcement; another
		// district's head may not.
		if ans := e.say(provinceUser, "/thongbao_2"); !strings.Contains(ans.PlainText, "📢 Thông báo số 2, gửi 09:00 ngày 16/03/2020 tới 2 người:") {
			t.Errorf("the province asks about a district's announcement: %s", ans.PlainText)
		}
		if ans := e.say(communeUser, "/thongbao_2"); !strings.Contains(ans.PlainText, "Không có thông báo số 2 trong phạm vi đồng chí được xem.") {
			t.Errorf("a recipient asks who read it: %s", ans.PlainText)
		}
		for _, u := range []tgtest.User{unitUser, communeUser} {
			if ans := e.say(u, "/thongbao Xin chào"); !strings.Contains(ans.PlainText, "Lệnh /thongbao dành cho lãnh đạo huyện, Công an tỉnh và Bộ Công an.") {
				t.Errorf("%d announces: %s", u.ID, ans.PlainText)
			}
		}
	})
}

// TestCommandLeavesDraft: a user who starts an announcement, then turns to
// another command, has left the draft: what they type next is a question,
// not the announcement's text, and the draft's message says it was
// cancelled. Help, read on the way, leaves the draft open.
func TestCommandLeavesDraft(t *testing.T) {
	e := newEnv(t, backends[0], false, Options{FloodLimit: 10000})
	ask := e.say(provinceUser, "/thongbao")
	e.say(provinceUser, "/trogiup")
	if got := e.say(provinceUser, "Họp giao ban lúc 8 giờ"); !strings.Contains(got.PlainText, "Chọn người nhận") {
		t.Fatalf("after /trogiup the draft should take the text: %s", shown(got))
	}
	e.huy(provinceUser)

	ask = e.say(provinceUser, "/thongbao")
	e.say(provinceUser, "/tiendo")
	if m := e.message(provinceUser.ID, ask.ID); m.PlainText != "Đã hủy." {
		t.Errorf("the left draft's message: %s", shown(m))
	}
	got := e.say(provinceUser, "huyện Lạc Sơn còn bao nhiêu xã chưa có trưởng công an chính quy")
	if strings.Contains(got.PlainText, "Chọn người nhận") || !strings.Contains(got.PlainText, "Huyện Lạc Sơn") {
		t.Errorf("a question after another command was taken into the draft: %s", shown(got))
	}
}

// TestNationalAnnouncement: a user of the Ministry chooses the scope
// first (the whole country, or a province, each with how many), then the
// roles, sees the preview and confirms, as the province does; the
// recipients read it as the Ministry's, and the sender may ask who has
// not read it. A press of a button never offered changes nothing.
func TestNationalAnnouncement(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		ministry := tgtest.User{ID: 1010, FirstName: "Bộ", LanguageCode: "vi"}
		if err := e.db.AddUser(e.ctx, store.User{TelegramID: ministry.ID, Name: "Nguyễn Văn Bộ", Role: store.RoleNational, Scope: "VN"}, "test", e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		e.srv.AddUser(ministry)
		e.addRecipients()
		e.srv.AddUser(provinceUser)

		text := "Bộ Công an đề nghị các đơn vị báo cáo kết quả bố trí Công an chính quy về xã trước ngày 31/03/2020."
		scopes := e.say(ministry, "/thongbao "+text)
		for _, want := range []string{"Chọn phạm vi nhận thông báo: cả nước hoặc một tỉnh.", text, "[Cả nước (7 người)]", "[Tỉnh Hòa Bình (7 người)]", "[Hủy]"} {
			if !strings.Contains(shown(scopes), want) {
				t.Errorf("scopes lack %q:\n%s", want, shown(scopes))
			}
		}
		if code := e.postWebhook(secret, callbackUpdate(900101, ministry, ministry.ID, scopes.ID, forged(scopes.Keyboard[0][0].CallbackData))); code != 200 {
			t.Errorf("a button never offered: status %d", code)
		}
		if m := e.message(ministry.ID, scopes.ID); !strings.Contains(m.PlainText, "Chọn phạm vi nhận thông báo") {
			t.Errorf("a button never offered moved the draft on: %s", shown(m))
		}

		e.press(ministry, scopes, "Tỉnh Hòa Bình (7 người)")
		roles := e.message(ministry.ID, scopes.ID)
		for _, want := range []string{"Chọn người nhận thông báo trên địa bàn tỉnh Hòa Bình", "[Tất cả (7 người)]", "[Công an tỉnh (1 người)]", "[Sở, ngành (1 người)]"} {
			if !strings.Contains(shown(roles), want) {
				t.Errorf("roles lack %q:\n%s", want, shown(roles))
			}
		}
		e.press(ministry, roles, "Tất cả (7 người)")
		preview := e.message(ministry.ID, scopes.ID)
		if !strings.Contains(preview.PlainText, "Thông báo sẽ gửi tới 7 người (tất cả vai trò) trên địa bàn tỉnh Hòa Bình.") {
			t.Errorf("preview: %s", shown(preview))
		}
		e.press(ministry, preview, "Gửi (7 người)")
		if m := e.message(ministry.ID, scopes.ID); !strings.Contains(m.PlainText, "Hệ thống đã đưa thông báo số 1 vào hàng gửi tới 7 người.") {
			t.Errorf("queued: %s", shown(m))
		}
		e.drain()
		for _, u := range []tgtest.User{communeUser, provinceUser, unitUser} {
			if m := e.lastMessage(u.ID); !strings.Contains(m.PlainText, "📢 Thông báo của Bộ Công an (Nguyễn Văn Bộ)") || !strings.Contains(m.PlainText, text) {
				t.Errorf("%d received: %s", u.ID, shown(m))
			}
		}
		a, err := e.db.Announcement(e.ctx, 1)
		if err != nil || a.Scope != (store.Scope{Role: store.RoleProvince, Code: "17"}) {
			t.Errorf("announcement 1: %+v, %v; want the province's scope", a, err)
		}
		if help := e.say(ministry, "/trogiup"); !strings.Contains(help.PlainText, "/thongbao – gửi thông báo tới mọi người trên cả nước hoặc một tỉnh") {
			t.Errorf("the Ministry's help: %s", help.PlainText)
		}
		if ans := e.say(ministry, "/thongbao_1"); !strings.Contains(ans.PlainText, "📢 Thông báo số 1, gửi 09:00 ngày 16/03/2020 tới 7 người:") {
			t.Errorf("the Ministry asks who read it: %s", ans.PlainText)
		}

		// The whole country: every role, the preview says so; the user who
		// blocked the bot is no longer counted.
		scopes = e.say(ministry, "/thongbao Họp trực tuyến toàn quốc lúc 08:00 ngày 20/03/2020.")
		e.press(ministry, scopes, "Cả nước (6 người)")
		roles = e.message(ministry.ID, scopes.ID)
		if !strings.Contains(roles.PlainText, "Chọn người nhận thông báo trên địa bàn cả nước") {
			t.Errorf("roles of the country: %s", shown(roles))
		}
		e.press(ministry, roles, "Công an xã (3 người)")
		if m := e.message(ministry.ID, scopes.ID); !strings.Contains(m.PlainText, "Thông báo sẽ gửi tới 3 người (Công an xã) trên địa bàn cả nước.") {
			t.Errorf("preview of the country: %s", shown(m))
		}
	})
}

// forged is the callback data of a button of the same conversation that
// was never offered: "c:<id>:99".
func forged(data string) string {
	return data[:strings.LastIndex(data, ":")+1] + "99"
}
