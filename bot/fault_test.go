package bot

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// buttonData is the callback data of msg's button labelled label.
func buttonData(t *testing.T, msg tgtest.Message, label string) string {
	t.Helper()
	for _, row := range msg.Keyboard {
		for _, b := range row {
			if b.Text == label {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no button %q under %q", label, msg.PlainText)
	return ""
}

// httptestServer serves h until the test ends and returns its URL.
func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

// postTo posts an update to a webhook URL with the right secret, and
// performs its answer on srv as Telegram would.
func postTo(t *testing.T, srv *tgtest.Server, u, body string) int {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return 0
	}
	req.Header.Set(secretHeader, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
		return 0
	}
	performAnswer(t, srv, resp.StatusCode, answer)
	return resp.StatusCode
}

// TestPostgresRestart cuts the bot's connections to Postgres while a
// district head confirms a report: the webhook answers 500 so that
// Telegram retries, a question asked by polling meanwhile gets the polite
// apology, and once Postgres is back the retried confirmation writes the
// report exactly once.
func TestPostgresRestart(t *testing.T) {
	var pg *storetest.Proxy
	be := backend{"postgres(proxy)+redis", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		db, p := storetest.PostgresBehind(t)
		pg = p
		return db, storetest.Redis(t)
	}}
	e := newEnv(t, be, true, Options{})
	m := reportToConfirm(t, e)
	confirm := buttonData(t, m, "Xác nhận")
	before := e.reportCount(communeUserScope)

	pg.Down()
	body := callbackUpdate(910001, districtUser, districtUser.ID, m.ID, confirm)
	for i := range 3 {
		if code := e.postWebhook(secret, body); code != 500 {
			t.Fatalf("delivery %d while Postgres is down: status %d, want 500", i+1, code)
		}
	}
	pg.Up()
	// Telegram retries until it gets a 200; the pool may still hold a
	// connection cut while down, which fails once.
	code := 0
	for i := 0; i < 5 && code != 200; i++ {
		code = e.postWebhook(secret, body)
	}
	if code != 200 {
		t.Fatalf("retry after Postgres came back: status %d", code)
	}
	if n := e.reportCount(communeUserScope); n != before+1 {
		t.Errorf("reports %d, want %d: the confirmation was lost or doubled", n, before+1)
	}
	if got := e.message(districtUser.ID, m.ID); !strings.Contains(got.PlainText, "đã ghi nhận báo cáo") {
		t.Errorf("confirmation message %q", got.PlainText)
	}
	// A second delivery of the same press is dropped; another press of the
	// same button is stale.
	if code := e.postWebhook(secret, body); code != 200 {
		t.Errorf("repeat: status %d", code)
	}
	if code := e.postWebhook(secret, callbackUpdate(910002, districtUser, districtUser.ID, m.ID, confirm)); code != 200 {
		t.Errorf("second press: status %d", code)
	}
	if n := e.reportCount(communeUserScope); n != before+1 {
		t.Errorf("reports %d after repeats, want %d", n, before+1)
	}
}

// TestPostgresDownMidReport cuts Postgres at the worst moment of a
// confirmation: after the conversation ended (so that a double tap finds
// nothing) and before the report is written. The webhook answers 500, and
// Telegram's retry, once Postgres is back, writes the report once.
func TestPostgresDownMidReport(t *testing.T) {
	var pg, rd *storetest.Proxy
	be := backend{"postgres(proxy)+redis(proxy)", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		db, p := storetest.PostgresBehind(t)
		st, r := storetest.RedisBehind(t)
		pg, rd = p, r
		return db, st
	}}
	e := newEnv(t, be, true, Options{})
	m := reportToConfirm(t, e)
	confirm := buttonData(t, m, "Xác nhận")
	before := e.reportCount(communeUserScope)

	// The conversation's swap goes to Redis just before the write goes to
	// Postgres: cut Postgres as the swap passes.
	convKeyBytes := []byte(convKey(districtUser.ID, districtUser.ID))
	cut := func(b []byte) {
		if bytes.Contains(bytes.ToLower(b), []byte("evalsha")) && bytes.Contains(b, convKeyBytes) {
			pg.Down()
		}
	}
	rd.OnSend(cut)
	body := callbackUpdate(915001, districtUser, districtUser.ID, m.ID, confirm)
	if code := e.postWebhook(secret, body); code != 500 {
		t.Fatalf("confirmation with Postgres cut mid-way: status %d, want 500", code)
	}
	rd.OnSend(nil)
	pg.Up()
	code := 0
	for i := 0; i < 5 && code != 200; i++ {
		code = e.postWebhook(secret, body)
	}
	if code != 200 {
		t.Fatalf("retry: status %d", code)
	}
	if n := e.reportCount(communeUserScope); n != before+1 {
		t.Errorf("reports %d, want %d: the confirmation was lost or doubled", n, before+1)
	}
	if got := e.message(districtUser.ID, m.ID); !strings.Contains(got.PlainText, "đã ghi nhận báo cáo") {
		t.Errorf("confirmation message %q", got.PlainText)
	}
}

// TestPostgresDownPolling: by long polling nothing retries, so a user
// whose question meets a dead store is told to try again, once, and the
// next question is answered.
func TestPostgresDownPolling(t *testing.T) {
	var pg *storetest.Proxy
	be := backend{"postgres(proxy)+redis", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		db, p := storetest.PostgresBehind(t)
		pg = p
		return db, storetest.Redis(t)
	}}
	e := newEnv(t, be, false, Options{})
	apology := e.bot.cat.Printer("vi", e.loc).T("bot.error.temporary")
	pg.Down()
	if got := e.say(provinceUser, "/xa Tân Lập"); got.PlainText != apology {
		t.Errorf("while Postgres is down: %q, want the apology", got.PlainText)
	}
	pg.Up()
	var got string
	for i := 0; i < 3 && !strings.Contains(got, "Bùi Văn 05287-C1"); i++ {
		got = e.say(provinceUser, "/xa Tân Lập").PlainText
	}
	if !strings.Contains(got, "Bùi Văn 05287-C1") {
		t.Errorf("after Postgres came back: %q", got)
	}
	for _, m := range e.srv.Messages(provinceUser.ID) {
		if m.PlainText != apology && !strings.Contains(m.PlainText, "Bùi Văn 05287-C1") {
			t.Errorf("unexpected answer %q", m.PlainText)
		}
	}
}

// TestRedisDown cuts Redis: the webhook answers 503 without handling the
// update (Telegram retries), polling users are told the system is busy,
// and once Redis is back the retried update is answered exactly once.
func TestRedisDown(t *testing.T) {
	for _, webhook := range []bool{true, false} {
		t.Run(map[bool]string{true: "webhook", false: "polling"}[webhook], func(t *testing.T) {
			var rd *storetest.Proxy
			be := backend{"postgres+redis(proxy)", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
				st, p := storetest.RedisBehind(t)
				rd = p
				return storetest.Postgres(t), st
			}}
			e := newEnv(t, be, webhook, Options{})
			apology := e.bot.cat.Printer("vi", e.loc).T("bot.error.temporary")
			if webhook {
				e.srv.AddUser(provinceUser)
				body := fmt.Sprintf(`{"update_id":920001,"message":{"message_id":5,"date":1584324000,"from":{"id":%d,"is_bot":false,"first_name":"T"},`+
					`"chat":{"id":%d,"type":"private"},"text":"/xa Tân Lập"}}`, provinceUser.ID, provinceUser.ID)
				rd.Down()
				if code := e.postWebhook(secret, body); code < 500 {
					t.Errorf("while Redis is down: status %d, want a 5xx", code)
				}
				rd.Up()
				code := 0
				for i := 0; i < 5 && code != 200; i++ {
					code = e.postWebhook(secret, body)
				}
				if code != 200 {
					t.Fatalf("after Redis came back: status %d", code)
				}
				if code := e.postWebhook(secret, body); code != 200 {
					t.Errorf("repeat: status %d", code)
				}
				ms := e.srv.Messages(provinceUser.ID)
				if len(ms) != 1 || !strings.Contains(ms[0].PlainText, "Bùi Văn 05287-C1") {
					t.Errorf("answers %d, want one with the roster: %+v", len(ms), ms)
				}
				return
			}
			rd.Down()
			if got := e.say(provinceUser, "/xa Tân Lập"); got.PlainText != apology {
				t.Errorf("while Redis is down: %q, want the apology", got.PlainText)
			}
			rd.Up()
			var got string
			for i := 0; i < 3 && !strings.Contains(got, "Bùi Văn 05287-C1"); i++ {
				got = e.say(provinceUser, "/xa Tân Lập").PlainText
			}
			if !strings.Contains(got, "Bùi Văn 05287-C1") {
				t.Errorf("after Redis came back: %q", got)
			}
		})
	}
}

// TestSameUpdateTwice delivers one update twice at the same moment, to
// one replica and to two replicas sharing the store and state: it is
// handled once. A delivery that finds the other one still handling the
// update is answered 503, and Telegram's next try finds it handled.
func TestSameUpdateTwice(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		e.srv.AddUser(provinceUser)
		// A second replica on the same store and state.
		b2, err := New(e.ctx, Deps{DB: e.db, State: e.st, Catalog: e.bot.cat, Loc: e.loc, Now: e.clock.Now,
			Logger: storetest.Logger(t), BotUsername: "caxbot_test"})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(e.ctx)
		done := make(chan struct{})
		go func() { defer close(done); b2.RunWebhook(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		hook2 := httptestServer(t, b2.WebhookHandler(e.tg, secret))

		for i, urls := range [][2]string{{e.hook.URL, e.hook.URL}, {e.hook.URL, hook2}} {
			id := int64(930001 + i)
			body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1584324000,"from":{"id":%d,"is_bot":false,"first_name":"T"},`+
				`"chat":{"id":%d,"type":"private"},"text":"/xa Tân Lập"}}`, id, id, provinceUser.ID, provinceUser.ID)
			n := len(e.srv.Messages(provinceUser.ID))
			var wg sync.WaitGroup
			codes := make([]int, 2)
			for j, u := range urls {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for try := 0; try < 50; try++ {
						if codes[j] = postTo(t, e.srv, u, body); codes[j] != http.StatusServiceUnavailable {
							return
						}
						time.Sleep(20 * time.Millisecond)
					}
				}()
			}
			wg.Wait()
			if codes[0] != 200 || codes[1] != 200 {
				t.Errorf("case %d: statuses %v", i, codes)
			}
			if got := len(e.srv.Messages(provinceUser.ID)) - n; got != 1 {
				t.Errorf("case %d: %d answers, want 1", i, got)
			}
		}
	})
}

// TestButtonsOutOfOrder presses a button of an earlier step after the
// conversation moved on: stale, nothing written, the conversation stays
// where it was, and its current buttons still work.
func TestButtonsOutOfOrder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, be backend) {
		e := newEnv(t, be, true, Options{})
		u := districtUser
		first := e.say(u, "/baocao")
		e.press(u, first, "Tân Lập")
		second := e.message(u.ID, first.ID)
		e.press(u, second, "Trưởng Công an xã")
		third := e.message(u.ID, first.ID)
		convBefore, _, err := e.st.GetConversation(e.ctx, convKey(u.ID, u.ID))
		if err != nil {
			t.Fatal(err)
		}
		before := storeSnapshot(t, e.db)
		for _, old := range []struct {
			msg  string
			data string
		}{
			{"bước chọn xã", buttonData(t, first, "Tân Lập")},
			{"bước chọn vị trí", buttonData(t, second, second.Keyboard[0][0].Text)},
			{"huỷ của bước đầu", buttonData(t, first, "Hủy")},
		} {
			// A slow phone still shows the old keyboard: the press comes
			// with the old data on the same message.
			if code := e.postWebhook(secret, callbackUpdate(940001+int64(len(old.msg)), u, u.ID, first.ID, old.data)); code != 200 {
				t.Errorf("%s: status %d", old.msg, code)
			}
			calls := e.srv.CallsOf("answerCallbackQuery")
			if last := calls[len(calls)-1]; !strings.Contains(last.Params["text"], "không còn hiệu lực") {
				t.Errorf("%s: answered %q, want stale", old.msg, last.Params["text"])
			}
		}
		if got := storeSnapshot(t, e.db); got != before {
			t.Errorf("the store changed")
		}
		convAfter, _, err := e.st.GetConversation(e.ctx, convKey(u.ID, u.ID))
		if err != nil {
			t.Fatal(err)
		}
		if string(convAfter) != string(convBefore) {
			t.Errorf("an old button moved the conversation")
		}
		if m := e.message(u.ID, first.ID); m.PlainText != third.PlainText {
			t.Errorf("an old button changed the message to %q", m.PlainText)
		}
		// The current step still works.
		if ans := e.press(u, third, third.Keyboard[0][0].Text); strings.Contains(ans.Text, "không còn hiệu lực") {
			t.Errorf("the current button is stale")
		}
	})
}
