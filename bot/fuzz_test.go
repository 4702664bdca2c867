package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// panicWatch is a log handler that notes a recovered handler panic, which
// handleJob would otherwise hide from a fuzzer, and drops everything else:
// fuzzing makes thousands of refusals a second that are not news.
type panicWatch struct{ panicked *atomic.Value }

func (h panicWatch) Enabled(context.Context, slog.Level) bool { return true }
func (h panicWatch) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "handler panicked" {
		var v string
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "panic" || a.Key == "stack" {
				v += a.Value.String() + "\n"
			}
			return true
		})
		h.panicked.Store(v)
	}
	return nil
}
func (h panicWatch) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h panicWatch) WithGroup(string) slog.Handler      { return h }

// fuzzBot is a bot over SQLite and the in-process state, built once per
// fuzz worker, with the tests' roster and users, and a flood limit no
// fuzzer reaches (its clock never moves).
type fuzzBot struct {
	ctx      context.Context
	db       *store.DB
	st       state.State
	bot      *Bot
	tg       *tgbot.Bot
	panicked *atomic.Value
}

func newFuzzBot(tb testing.TB) *fuzzBot {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		tb.Fatal(err)
	}
	clk := &clock{t: time.Date(2020, 3, 16, 9, 0, 0, 0, loc)}
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	db := storetest.SQLite(tb)
	st := state.NewMemory(clk.Now)
	seedRoster(tb, db, loc)
	srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_test", Scale: 1000, Now: clk.Now})
	tb.Cleanup(srv.Close)
	for _, u := range []struct {
		tu    tgtest.User
		role  store.Role
		scope string
	}{{provinceUser, store.RoleProvince, "17"}, {districtUser, store.RoleDistrict, "157"}, {communeUser, store.RoleCommune, communeUserScope}} {
		if err := db.AddUser(ctx, store.User{TelegramID: u.tu.ID, Name: "Cán bộ", Role: u.role, Scope: u.scope}, "test", clk.Now()); err != nil {
			tb.Fatal(err)
		}
		srv.AddUser(u.tu)
	}
	srv.AddUser(stranger)
	cat, err := locales.Load()
	if err != nil {
		tb.Fatal(err)
	}
	panicked := &atomic.Value{}
	b, err := New(ctx, Deps{DB: db, State: st, Catalog: cat, Loc: loc, Now: clk.Now,
		Logger: slog.New(panicWatch{panicked}), BotUsername: "caxbot_test",
		Options: Options{FloodLimit: 1 << 30}})
	if err != nil {
		tb.Fatal(err)
	}
	tg, err := b.NewClient(srv.Token, srv.URL, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &fuzzBot{ctx: ctx, db: db, st: st, bot: b, tg: tg, panicked: panicked}
}

// reportTotal counts every report in the store.
func reportTotal(tb testing.TB, db *store.DB) int {
	tb.Helper()
	rs, err := db.ReportsBetween(context.Background(), store.Scope{}, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return len(rs)
}

// routeDirect handles upd through the bot's routing on the caller's
// goroutine, as a worker would, but without handleJob's recover, so that
// a panic fails the fuzz run.
func (f *fuzzBot) routeDirect(upd *models.Update) error {
	r := &request{tg: f.tg, upd: upd, chat: chatOf(upd), p: f.bot.cat.Printer(locales.Default, f.bot.loc)}
	return f.bot.route(f.ctx, r)
}

// FuzzCallbackData presses a button with arbitrary callback data, as
// one of three users (the district head who has a report conversation
// going, a commune user, a stranger), through the bot's real routing.
// "{nonce}" in the data is replaced by the live conversation's nonce, so
// that the fuzzer reaches the code behind the nonce check. Whatever the
// data: no panic, no error (SQLite and memory do not fail), no report
// written, and the conversation changes only on its owner's press with
// its nonce. Run with
// go test -run '^$' -fuzz '^FuzzCallbackData$' ./bot
func FuzzCallbackData(f *testing.F) {
	for _, s := range []struct {
		data string
		who  uint8
	}{
		{"c:{nonce}:0", 0}, {"c:{nonce}:1", 0}, {"c:{nonce}:-1", 0}, {"c:{nonce}:99999999999999999999", 0},
		{"c:{nonce}:0", 1}, {"c:AAAAAAAAAAAA:0", 0}, {"c::", 0}, {"c", 0}, {":", 2}, {"", 0},
		{"ack:chief-q1-2020", 0}, {"ack:", 1}, {"ack:\x00\xff", 0}, {"c:05350:chief:1:regular", 0},
		{"c:{nonce}:0:0", 0}, {"c:{nonce}: 1", 0}, {"c:{nonce}:+1", 0}, {"c:{nonce}:٣", 0},
	} {
		f.Add(s.data, s.who)
	}
	fb := newFuzzBot(f)
	owner := districtUser
	start := &models.Update{ID: 1, Message: &models.Message{ID: 1, Date: 1584324000, Text: "/baocao",
		From: &models.User{ID: owner.ID, FirstName: owner.FirstName, LanguageCode: "vi"},
		Chat: models.Chat{ID: owner.ID, Type: models.ChatTypePrivate}}}
	if err := fb.routeDirect(start); err != nil {
		f.Fatal(err)
	}
	key := convKey(owner.ID, owner.ID)
	startConv, ok, err := fb.st.GetConversation(fb.ctx, key)
	if err != nil || !ok {
		f.Fatalf("no conversation after /baocao: %v", err)
	}
	var c conversation
	if err := json.Unmarshal(startConv, &c); err != nil || c.Nonce == "" {
		f.Fatalf("conversation %q: %v", startConv, err)
	}
	reports := reportTotal(f, fb.db)
	users := []tgtest.User{owner, communeUser, stranger}
	var id atomic.Int64
	id.Store(1000)

	f.Fuzz(func(t *testing.T, data string, who uint8) {
		// Every press starts from the conversation's first step.
		if err := fb.st.PutConversation(fb.ctx, key, startConv, time.Hour); err != nil {
			t.Fatal(err)
		}
		data = strings.ReplaceAll(data, "{nonce}", c.Nonce)
		u := users[int(who)%len(users)]
		n := id.Add(1)
		upd := &models.Update{ID: n, CallbackQuery: &models.CallbackQuery{
			ID: "cb" + string(rune('a'+n%26)), From: models.User{ID: u.ID, FirstName: u.FirstName, LanguageCode: "vi"},
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
				Message: &models.Message{ID: 2, Date: 1584324000, Chat: models.Chat{ID: owner.ID, Type: models.ChatTypePrivate}}},
			ChatInstance: "1", Data: data,
		}}
		if err := fb.routeDirect(upd); err != nil {
			t.Fatalf("press %q by %d: %v", data, u.ID, err)
		}
		if got := reportTotal(t, fb.db); got != reports {
			t.Fatalf("press %q by %d wrote a report (%d, was %d)", data, u.ID, got, reports)
		}
		now, _, err := fb.st.GetConversation(fb.ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(now, startConv) && (u.ID != owner.ID || !strings.Contains(data, c.Nonce)) {
			t.Fatalf("press %q by %d changed the conversation to %q", data, u.ID, now)
		}
	})
}

// FuzzWebhookBody posts arbitrary bytes, with the right secret, to the
// webhook handler of a running bot on SQLite and memory. Whatever the
// body: no panic (handled or not), 400 when it is not an update, 200
// when it is (the store does not fail here, so never a 5xx), and no
// report written. Run with
// go test -run '^$' -fuzz '^FuzzWebhookBody$' ./bot
func FuzzWebhookBody(f *testing.F) {
	msg := func(id, from int64, text string) []byte {
		b, err := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
			"message_id": id, "date": 1584324000, "text": text,
			"from": map[string]any{"id": from, "is_bot": false, "first_name": "T"},
			"chat": map[string]any{"id": from, "type": "private"}}})
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	for _, s := range [][]byte{
		msg(1, provinceUser.ID, "tien do huyen lac son"),
		msg(2, communeUser.ID, "/xa Thượng Cốc"),
		msg(3, communeUser.ID, "/baocao xa Thuong Coc truong chinh quy Lê Văn C"),
		msg(4, stranger.ID, "/start khong-co-ma-nay"),
		msg(5, districtUser.ID, "<script>alert(1)</script>'; DROP TABLE posts; --"),
		[]byte(callbackUpdate(6, districtUser, districtUser.ID, 1, "c:AAAAAAAAAAAA:0")),
		[]byte(`{"update_id":7,"callback_query":{"id":"x","from":{"id":1003},"message":{"message_id":1,"date":0}}}`),
		[]byte(`{"update_id":8,"edited_message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"text":"x"}}`),
		[]byte(`{"update_id":9,"message":{"message_id":1,"date":0,"from":{"id":1001,"is_bot":true},"chat":{"id":1001,"type":"private"},"text":"/moc"}}`),
		[]byte(`{"update_id":10,"message":{"message_id":1,"date":0,"from":{"id":1001},"chat":{"id":1001,"type":"private"},"text":"\ud800\u0000"}}`),
		[]byte(`{"update_id":`), []byte(`null`), []byte(`[]`), []byte(`{"update_id":1e400}`), []byte(`{} trailing`),
		[]byte("\xff\xfe{"), []byte(""),
	} {
		f.Add(s)
	}
	fb := newFuzzBot(f)
	ctx, cancel := context.WithCancel(fb.ctx)
	stopped := make(chan struct{})
	go func() { defer close(stopped); fb.bot.RunWebhook(ctx) }()
	f.Cleanup(func() { cancel(); <-stopped })
	h := fb.bot.WebhookHandler(fb.tg, secret)
	reports := reportTotal(f, fb.db)

	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/telegram", bytes.NewReader(body))
		req.Header.Set(secretHeader, secret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		want := http.StatusOK
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&models.Update{}); err != nil {
			want = http.StatusBadRequest
		}
		if rec.Code != want {
			t.Fatalf("status %d for %q, want %d", rec.Code, body, want)
		}
		if p := fb.panicked.Load(); p != nil {
			t.Fatalf("handler panicked on %q: %s", body, p)
		}
		if got := reportTotal(t, fb.db); got != reports {
			t.Fatalf("%q wrote a report", body)
		}
	})
}
