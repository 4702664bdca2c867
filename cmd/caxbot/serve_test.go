package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
)

// freeAddr returns a loopback address nobody listens on, for a caxbot
// process to listen on. The port is free when checked, not reserved: it
// is drawn below Linux's ephemeral range (32768 up), from which the
// kernel gives every outgoing connection its local port, so that the
// tests' own connections to Postgres, Redis and tgtest cannot take it
// before the process binds it (a ":0" port could, and did).
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 100 {
		addr := "127.0.0.1:" + strconv.Itoa(20000+rand.IntN(12000))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			continue
		}
		ln.Close()
		return addr
	}
	t.Fatal("no free port between 20000 and 32000 on 127.0.0.1")
	return ""
}

// TestServe runs `caxbot serve` against a local Bot API server, by long
// polling and by webhook, and talks to it as a user would.
func TestServe(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_bot", Scale: 1000})
			defer srv.Close()
			listen := freeAddr(t)
			env := map[string]string{
				"CAXBOT_DATA_DIR":     t.TempDir(),
				"TELEGRAM_BOT_TOKEN":  srv.Token,
				"CAXBOT_TELEGRAM_API": srv.URL,
				"CAXBOT_LISTEN":       listen,
			}
			if mode == "webhook" {
				env["CAXBOT_WEBHOOK_URL"] = "http://" + listen + "/telegram"
				env["CAXBOT_WEBHOOK_SECRET"] = "caxbot-test-secret-1234"
				// The Mini App behind a proxy that passes /bang/ on.
				env["CAXBOT_WEBAPP_URL"] = "https://caxbot.congan.hoabinh.gov.vn/bang"
			}
			mustRun(t, env, "import", "communes", rosterFile)
			mustRun(t, env, "import", "posts", writeFile(t, "posts.csv", "commune_code,post,slot,status,holder,since\n04849,chief,1,semi,Xa Văn Minh,\n04855,chief,1,regular,Bùi Văn An,2020-03-15\n"))
			mustRun(t, env, "users", "add", "--telegram-id", "100", "--role", "province", "--scope", "17", "--name", "Nguyễn Văn Tỉnh")

			srv.AddUser(tgtest.User{ID: 100, FirstName: "Tỉnh", LanguageCode: "vi"})

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stderr bytes.Buffer
			m := &Main{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
				Getenv: func(k string) string { return env[k] }, Now: time.Now}
			done := make(chan int)
			go func() { done <- m.Run(ctx, []string{"serve"}) }()

			wait, stop := context.WithTimeout(ctx, 30*time.Second)
			defer stop()
			err := srv.WaitFor(wait, func() bool {
				resp, err := http.Get("http://" + listen + "/readyz")
				if err != nil {
					return false
				}
				resp.Body.Close()
				return resp.StatusCode == http.StatusOK && (mode == "polling" || len(srv.CallsOf("setWebhook")) > 0)
			})
			if err != nil {
				cancel()
				<-done
				t.Fatalf("not ready: %v\n%s", err, stderr.String())
			}
			user := tgtest.User{ID: 100, FirstName: "Tỉnh", LanguageCode: "vi"}
			srv.SendText(user, user.ID, "toan tinh con bao nhieu xa chua co truong cong an chinh quy")
			msgs, err := srv.WaitMessages(wait, user.ID, 1)
			if err != nil {
				t.Fatalf("no answer: %v\n%s", err, stderr.String())
			}
			// 141 xã and thị trấn; one has a regular chief, one a semi,
			// the rest none on record.
			if !strings.Contains(msgs[0].PlainText, "còn 140 xã") {
				t.Errorf("answer %q", msgs[0].PlainText)
			}
			if mode == "webhook" {
				for _, d := range srv.WebhookDeliveries() {
					if d.StatusCode != http.StatusOK {
						t.Errorf("webhook delivery answered %d", d.StatusCode)
					}
				}
				if n := len(srv.CallsOf("getUpdates")); n != 0 {
					t.Errorf("%d getUpdates calls in webhook mode", n)
				}
			}
			// The menus every chat starts with (private chats, groups), in
			// both languages; and the province user's own, through the
			// outbox (their chat existed before serve started).
			common := 0
			for _, c := range srv.CallsOf("setMyCommands") {
				if !strings.Contains(c.Params["scope"], `"chat"`) {
					common++
				}
			}
			if common != 4 {
				t.Errorf("%d common menus set, want 4 (private chats and groups, in both languages)", common)
			}
			err = srv.WaitFor(wait, func() bool { return slices.Contains(srv.CommandsShown(user.ID, user.ID, "vi"), "soket") })
			if err != nil {
				t.Errorf("the province user's menu: %q (%v)", srv.CommandsShown(user.ID, user.ID, "vi"), err)
			}
			// The Mini App: served on its path; the menu button opens it
			// when its address is set.
			appPath, menu := "/app/", "default"
			if mode == "webhook" {
				appPath, menu = "/bang/", "web_app"
			}
			page, err := http.Get("http://" + listen + appPath)
			if err != nil {
				t.Fatal(err)
			}
			page.Body.Close()
			if page.StatusCode != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s: %d %s", appPath, page.StatusCode, page.Header.Get("Content-Type"))
			}
			if mb := srv.MenuButtonOf(0); mb.Type != menu || menu == "web_app" && mb.WebAppURL != "https://caxbot.congan.hoabinh.gov.vn/bang/" {
				t.Errorf("menu button %+v, want %s", mb, menu)
			}
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exit %d\n%s", code, stderr.String())
			}
		})
	}
}

func TestServeWithoutToken(t *testing.T) {
	code, _, errOut := run(t, dataEnv(t), "serve")
	if code != 1 || !strings.Contains(errOut, "Cần TELEGRAM_BOT_TOKEN") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}
