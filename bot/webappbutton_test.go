package bot

import (
	"strings"
	"testing"
)

// TestWebAppButtons: with the Mini App set, the chat's menu button opens
// it, and /start and /tiendo offer it in a private chat; tgtest checks
// each button against the specification (HTTPS, private chats only).
func TestWebAppButtons(t *testing.T) {
	const app = "https://caxbot.congan.hoabinh.gov.vn/app/"
	e := newEnv(t, backends[0], true, Options{WebAppURL: app})
	if err := e.bot.SetMenuButton(e.ctx, e.tg); err != nil {
		t.Fatal(err)
	}
	if mb := e.srv.MenuButtonOf(0); mb.Type != "web_app" || mb.WebAppURL != app || mb.Text != "Bảng điều khiển" {
		t.Errorf("menu button = %+v", mb)
	}
	for _, text := range []string{"/start", "/tiendo"} {
		got := e.say(districtUser, text)
		if len(got.Keyboard) == 0 || got.Keyboard[len(got.Keyboard)-1][0].WebAppURL != app || got.Keyboard[len(got.Keyboard)-1][0].Text != "Mở bảng điều khiển" {
			t.Errorf("%s: buttons %+v, want the Mini App's", text, got.Keyboard)
		}
		if text == "/tiendo" && !strings.Contains(got.PlainText, "Lạc Sơn") {
			t.Errorf("/tiendo answered %q", got.PlainText)
		}
	}
	if got := e.say(stranger, "/start"); len(got.Keyboard) != 0 {
		t.Errorf("a stranger is offered %+v", got.Keyboard)
	}
	if got := e.say(districtUser, "/moc"); len(got.Keyboard) != 0 {
		t.Errorf("/moc carries %+v", got.Keyboard)
	}
	if s := e.srv.Stats(); s.BadRequests != 0 {
		t.Errorf("%d calls refused by the Bot API", s.BadRequests)
	}
}

// TestNoWebApp: without the Mini App, nothing changes: no menu button,
// /tiendo answered in the webhook's response.
func TestNoWebApp(t *testing.T) {
	e := newEnv(t, backends[0], true, Options{})
	if err := e.bot.SetMenuButton(e.ctx, e.tg); err != nil {
		t.Fatal(err)
	}
	if mb := e.srv.MenuButtonOf(0); mb.Type != "default" {
		t.Errorf("menu button = %+v", mb)
	}
	if got := e.say(districtUser, "/tiendo"); len(got.Keyboard) != 0 {
		t.Errorf("/tiendo carries %+v", got.Keyboard)
	}
}
