package tgtest_test

import (
	"strings"
	"testing"

	"github.com/caxbot/caxbot/bot/tgtest"
)

func TestWebApps(t *testing.T) {
	srv := newServer(t, tgtest.Options{Scale: 1000})
	srv.AddUser(lan)
	srv.SendText(lan, -500, "chào cả nhóm") // a group the bot is in
	webApp := func(u string) string {
		return `{"inline_keyboard":[[{"text":"Mở bảng điều khiển","web_app":{"url":"` + u + `"}}]]}`
	}
	const app = "https://caxbot.congan.hoabinh.gov.vn/app/"
	tests := []struct {
		name   string
		method string
		fields map[string]string
		status int
		desc   string
	}{
		{"web_app button in a private chat", "sendMessage", map[string]string{"chat_id": "1001", "text": "x", "reply_markup": webApp(app)}, 200, ""},
		{"web_app button over HTTP", "sendMessage", map[string]string{"chat_id": "1001", "text": "x", "reply_markup": webApp("http://127.0.0.1:8080/app/")}, 400, "Only HTTPS links are allowed"},
		{"web_app button in a group", "sendMessage", map[string]string{"chat_id": "-500", "text": "x", "reply_markup": webApp(app)}, 400, "BUTTON_TYPE_INVALID"},
		{"web_app button and callback_data", "sendMessage", map[string]string{"chat_id": "1001", "text": "x",
			"reply_markup": `{"inline_keyboard":[[{"text":"a","web_app":{"url":"` + app + `"},"callback_data":"b"}]]}`}, 400, "exactly one of the optional fields"},
		{"default menu button", "setChatMenuButton", map[string]string{"menu_button": `{"type":"web_app","text":"Bảng điều khiển","web_app":{"url":"` + app + `"}}`}, 200, ""},
		{"menu button without its app", "setChatMenuButton", map[string]string{"menu_button": `{"type":"web_app","text":"Bảng điều khiển"}`}, 400, `field "web_app" of MenuButtonWebApp is required`},
		{"menu button over HTTP", "setChatMenuButton", map[string]string{"menu_button": `{"type":"web_app","text":"Bảng","web_app":{"url":"http://x/app/"}}`}, 400, "Only HTTPS links are allowed"},
		{"menu button of a group", "setChatMenuButton", map[string]string{"chat_id": "-500", "menu_button": `{"type":"commands"}`}, 400, "only for private chats"},
		{"one chat's menu button", "setChatMenuButton", map[string]string{"chat_id": "1001", "menu_button": `{"type":"commands"}`}, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := post(t, srv, tc.method, tc.fields)
			if status != tc.status || tc.desc != "" && !strings.Contains(resp.Description, tc.desc) {
				t.Errorf("status %d %q, want %d with %q", status, resp.Description, tc.status, tc.desc)
			}
		})
	}
	if got := srv.MenuButtonOf(0); got.Type != "web_app" || got.WebAppURL != app || got.Text != "Bảng điều khiển" {
		t.Errorf("default menu button = %+v", got)
	}
	if got := srv.MenuButtonOf(1001); got.Type != "commands" {
		t.Errorf("Lan's menu button = %+v, want her own", got)
	}
	if got := srv.MenuButtonOf(1002); got.Type != "web_app" {
		t.Errorf("another chat's menu button = %+v, want the default", got)
	}
	msgs := srv.Messages(1001)
	if len(msgs) != 1 || msgs[0].Keyboard[0][0].WebAppURL != app {
		t.Errorf("messages = %+v", msgs)
	}
}
