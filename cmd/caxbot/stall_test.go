package main

import (
	"context"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// TestStoreStall runs `caxbot serve` by webhook with Postgres and Redis
// behind TCP proxies the test freezes and cuts, and a Telegram that gives
// up on a webhook request after one second, before the update deadline
// (3 s) passes:
//
//   - /readyz answers, 503, while Postgres is frozen;
//   - a question whose store stalls past Telegram's patience but recovers
//     before the deadline is answered through the client, once;
//   - a question whose store stalls past the deadline fails, gives its
//     claim back, and Telegram's retry once the store is back is
//     answered, once;
//   - the same with Redis frozen;
//   - a confirmed report whose store stalls and then resets is written,
//     once, by Telegram's retry.
func TestStoreStall(t *testing.T) {
	srv := tgtest.NewServer(tgtest.Options{
		BotUsername: "caxbot_bot", Scale: 1000,
		WebhookAttempts: 30, WebhookRetryDelay: 100 * time.Millisecond,
		WebhookClient: &http.Client{Timeout: time.Second},
	})
	defer srv.Close()
	direct := sharedEnv(t, srv)
	setUp(t, direct)
	env := map[string]string{}
	for k, v := range direct {
		env[k] = v
	}
	var pg, rd *storetest.Proxy
	env["DATABASE_URL"], pg = storetest.ViaProxy(t, direct["DATABASE_URL"])
	env["REDIS_URL"], rd = storetest.ViaProxy(t, direct["REDIS_URL"])
	env["CAXBOT_UPDATE_DEADLINE"] = "3s"
	listen := freeAddr(t)
	env["CAXBOT_WEBHOOK_URL"] = "http://" + listen + "/telegram"
	bin := buildCaxbot(t)
	p := startServeAt(t, bin, env, listen)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	waitReady(t, ctx, srv, p)
	if err := srv.WaitFor(ctx, func() bool { return len(srv.CallsOf("setWebhook")) > 0 }); err != nil {
		t.Fatal(err)
	}

	province := tgtest.User{ID: 100, FirstName: "Tỉnh", LanguageCode: "vi"}
	commune := tgtest.User{ID: 200, FirstName: "Minh", LanguageCode: "vi"}
	const question = "toan tinh con bao nhieu xa chua co truong cong an chinh quy"
	answers := func() int { return len(srv.Messages(province.ID)) }
	ask := func() int64 { return srv.SendText(province, province.ID, question) }
	answered := func(step string, want int) {
		t.Helper()
		if err := srv.WaitFor(ctx, func() bool { return answers() >= want }); err != nil {
			t.Fatalf("%s: %d answers, want %d: %v\n%s", step, answers(), want, err, p.stderr.String())
		}
		ms := srv.Messages(province.ID)
		if !strings.Contains(ms[want-1].PlainText, "còn 140 xã") {
			t.Errorf("%s: answer %q", step, ms[want-1].PlainText)
		}
	}
	failedOnce := func(step string, upd int64) {
		t.Helper()
		err := srv.WaitFor(ctx, func() bool {
			for _, d := range srv.WebhookDeliveries() {
				if d.UpdateID == upd && d.StatusCode != http.StatusOK {
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("%s: no failed delivery: %v", step, err)
		}
	}
	// logged waits until the replica logs what once more than before.
	logged := func(step, what string, before int) {
		t.Helper()
		if err := poll(ctx, func() bool { return strings.Count(p.stderr.String(), what) > before }); err != nil {
			t.Fatalf("%s: the replica never logged %q: %v\n%s", step, what, err, p.stderr.String())
		}
	}
	const failed = "webhook: update not handled"
	failures := func() int { return strings.Count(p.stderr.String(), failed) }

	ask()
	answered("warm", 1)

	// /readyz answers within its own deadline whatever the store does.
	pg.Stall()
	client := &http.Client{Timeout: 15 * time.Second}
	resp, err := client.Get("http://" + listen + "/readyz")
	if err != nil {
		t.Errorf("/readyz while Postgres is frozen: %v", err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz while Postgres is frozen: %d, want 503", resp.StatusCode)
		}
	}

	// Telegram gives up on the request; the store comes back before the
	// update's deadline: the answer goes through the client.
	upd := ask()
	failedOnce("abandoned", upd)
	pg.Up()
	answered("abandoned", 2)
	logged("abandoned", "answer of an abandoned webhook request sent", 0)

	// The store stays frozen past the deadline: the update fails and its
	// claim is given back; Telegram's retry is answered.
	pg.Stall()
	before := failures()
	ask()
	logged("past the deadline", failed, before)
	pg.Up()
	answered("past the deadline", 3)

	// Redis frozen past the deadline: nothing claimed, Telegram retries.
	rd.Stall()
	before = failures()
	ask()
	logged("redis", failed, before)
	rd.Up()
	answered("redis", 4)

	// A confirmed report: the store freezes as it is written, then resets.
	srv.SendText(commune, commune.ID, "/baocao truong chinh quy Bùi Văn An 15/03/2020")
	msgs, err := srv.WaitMessages(ctx, commune.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	confirm := msgs[0]
	if err := poll(ctx, func() bool {
		for _, d := range srv.WebhookDeliveries() {
			if d.StatusCode == http.StatusOK && d.Time.After(confirm.Date.Add(-time.Second)) {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal(err)
	}
	var data string
	for _, row := range confirm.Keyboard {
		for _, b := range row {
			if b.Text == "Xác nhận" {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		t.Fatalf("no Xác nhận under %q", confirm.PlainText)
	}
	pg.Stall()
	press, err := srv.PressButton(commune, confirm, data)
	if err != nil {
		t.Fatal(err)
	}
	failedOnce("report", press)
	before = failures()
	pg.Down()
	logged("report", failed, before)
	pg.Up()
	if err := srv.WaitFor(ctx, func() bool {
		for _, m := range srv.Messages(commune.ID) {
			if m.ID == confirm.ID && strings.Contains(m.PlainText, "đã ghi nhận báo cáo") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("the report's confirmation never showed: %v\n%s", err, p.stderr.String())
	}
	db, err := store.Open(ctx, direct["DATABASE_URL"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err := db.History(ctx, "04849", 0)
	if err != nil {
		t.Fatal(err)
	}
	written := 0
	for _, r := range h {
		if r.NewHolder == "Bùi Văn An" {
			written++
		}
	}
	if written != 1 {
		t.Errorf("the confirmed report was written %d times, want once", written)
	}
	if n := answers(); n != 4 {
		t.Errorf("%d answers to the province user, want 4", n)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, p)
}
