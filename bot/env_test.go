package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	tgbot "github.com/go-telegram/bot"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// hoaBinh is the seed province; its communes file has no province column.
var hoaBinh = store.Province{Code: "17", Name: "Tỉnh Hòa Bình"}

// Test users: one per role, and strangers.
var (
	provinceUser = tgtest.User{ID: 1001, FirstName: "Tỉnh", LanguageCode: "vi"}
	districtUser = tgtest.User{ID: 1002, FirstName: "Huyện Lạc Sơn", LanguageCode: "vi"} // scope 157
	communeUser  = tgtest.User{ID: 1003, FirstName: "Xã Tân Lập", LanguageCode: "vi"}    // scope communeUserScope
	stranger     = tgtest.User{ID: 2001, FirstName: "Người lạ", LanguageCode: "vi"}
)

// communeUserScope is Tân Lập, a xã of Lạc Sơn with a semi chief in the
// fixed roster.
const communeUserScope = "05287"

// clock is the tests' time: March 2020, Hanoi.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// env is a bot over a tgtest server, with a fixed roster.
type env struct {
	t     *testing.T
	ctx   context.Context
	srv   *tgtest.Server
	db    *store.DB
	st    state.State
	bot   *Bot
	tg    *tgbot.Bot
	clock *clock
	loc   *time.Location
	hook  *httptest.Server // webhook mode only
	// wait bounds each wait for the bot's answer; zero: 10 s. A test of
	// an operation that writes thousands of rows sets more, for the race
	// detector on a loaded machine.
	wait time.Duration
}

// waitFor is how long the env waits for the bot's answer.
func (e *env) waitFor() time.Duration {
	if e.wait > 0 {
		return e.wait
	}
	return 10 * time.Second
}

type backend struct {
	name string
	open func(t *testing.T, now func() time.Time) (*store.DB, state.State)
}

var backends = []backend{
	{"sqlite+memory", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		return storetest.SQLite(t), state.NewMemory(now)
	}},
	{"postgres+redis", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		return storetest.Postgres(t), storetest.Redis(t)
	}},
}

// forEachTransport runs fn with the bot long polling and behind its
// webhook.
func forEachTransport(t *testing.T, fn func(t *testing.T, webhook bool)) {
	t.Run("polling", func(t *testing.T) { fn(t, false) })
	t.Run("webhook", func(t *testing.T) { fn(t, true) })
}

// forEachBackend runs fn on the embedded default and on Postgres + Redis.
func forEachBackend(t *testing.T, fn func(t *testing.T, be backend)) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) { fn(t, be) })
	}
}

const secret = "s3cret-token"

// newEnv starts a bot on be, by long polling or (webhook true) through its
// webhook handler, with opts.
func newEnv(t *testing.T, be backend, webhook bool, opts Options) *env {
	t.Helper()
	return newEnvVia(t, be, webhook, opts, nil)
}

// newEnvVia is newEnv with the bot's Bot API calls going through front,
// which passes them on to the tgtest server (nil: straight to it).
func newEnvVia(t *testing.T, be backend, webhook bool, opts Options, front func(http.Handler) http.Handler) *env {
	t.Helper()
	return newEnvAt(t, be, webhook, opts, front, 1000)
}

// newEnvAt is newEnvVia with tgtest's limits scaled by scale.
func newEnvAt(t *testing.T, be backend, webhook bool, opts Options, front func(http.Handler) http.Handler, scale float64) *env {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2020, 3, 16, 9, 0, 0, 0, loc)}
	db, st := be.open(t, clk.Now)
	e := &env{t: t, db: db, st: st, clock: clk, loc: loc}
	ctx, cancel := context.WithCancel(context.Background())
	e.ctx = ctx
	seedRoster(t, db, loc)
	for _, u := range []struct {
		id    int64
		role  store.Role
		scope string
	}{{provinceUser.ID, store.RoleProvince, "17"}, {districtUser.ID, store.RoleDistrict, "157"}, {communeUser.ID, store.RoleCommune, communeUserScope}} {
		if err := db.AddUser(ctx, store.User{TelegramID: u.id, Name: "Cán bộ", Role: u.role, Scope: u.scope}, "test", clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := locales.Load()
	if err != nil {
		t.Fatal(err)
	}
	e.srv = tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_test", Scale: scale, Now: clk.Now})
	b, err := New(ctx, Deps{DB: db, State: st, Catalog: cat, Loc: loc, Now: clk.Now, Logger: storetest.Logger(t), BotUsername: "caxbot_test", Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	e.bot = b
	apiURL := e.srv.URL
	if front != nil {
		fs := httptest.NewServer(front(e.srv))
		t.Cleanup(fs.Close)
		apiURL = fs.URL
	}
	e.tg, err = b.NewClient(e.srv.Token, apiURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	if webhook {
		e.hook = httptest.NewServer(b.WebhookHandler(e.tg, secret))
		go func() { defer wg.Done(); b.RunWebhook(ctx) }()
		if _, err := e.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: e.hook.URL, SecretToken: secret}); err != nil {
			t.Fatal(err)
		}
	} else {
		go func() {
			defer wg.Done()
			if err := b.Run(ctx, e.tg); err != nil {
				t.Error(err)
			}
		}()
	}
	t.Cleanup(func() {
		// Every update a test sent must have been delivered and handled
		// before the bot stops: one still pending is a test that ended early.
		wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer wcancel()
		if err := e.srv.WaitFor(wctx, func() bool { return e.srv.PendingUpdates() == 0 }); err != nil {
			t.Errorf("updates still pending at the end: %v", err)
		}
		cancel()
		wg.Wait()
		e.srv.Close()
		if e.hook != nil {
			e.hook.Close()
		}
	})
	return e
}

// seedRoster imports Hòa Bình's communes, the fixed posts of fixedPosts
// and the seed plan.
func seedRoster(t testing.TB, db *store.DB, loc *time.Location) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, loc)
	storetest.ImportHoaBinh(t, db, hoaBinh, at)
	communes, err := db.Communes(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var posts []store.PostRow
	for i, p := range fixedPosts(communes) {
		posts = append(posts, store.PostRow{Line: i + 2, Post: p})
	}
	if _, err := db.ImportPosts(ctx, posts, "fixed.csv", at); err != nil {
		t.Fatal(err)
	}
	if err := db.SavePlan(ctx, store.SeedPlan(loc), "test", at); err != nil {
		t.Fatal(err)
	}
}

// fixedPosts is the tests' roster. With i the commune's index within its
// district (by code): wards hold only regular posts; a xã or thị trấn has
// a chief regular when i%3 == 0, semi when 1, vacant when 2; deputy 1
// regular when i is even, else semi; a vacant deputy 2 when i%4 == 0;
// officer 1 regular; officer 2 semi when i%5 == 1; officer 3 vacant when
// i%3 == 1. testdata/answers.tsv is computed from these rules.
func fixedPosts(communes []store.Commune) []store.Post {
	var out []store.Post
	index := make(map[string]int)
	for _, c := range communes {
		i := index[c.DistrictCode]
		index[c.DistrictCode]++
		add := func(k store.PostKind, slot int, st store.Status) {
			p := store.Post{CommuneCode: c.Code, Kind: k, Slot: slot, Status: st}
			if st != store.Vacant {
				p.Holder = fmt.Sprintf("Bùi Văn %s-%s%d", c.Code, strings.ToUpper(string(k[:1])), slot)
			}
			out = append(out, p)
		}
		if !c.InPlan() {
			add(store.Chief, 1, store.Regular)
			add(store.Deputy, 1, store.Regular)
			add(store.Officer, 1, store.Regular)
			add(store.Officer, 2, store.Regular)
			continue
		}
		add(store.Chief, 1, []store.Status{store.Regular, store.Semi, store.Vacant}[i%3])
		add(store.Deputy, 1, map[bool]store.Status{true: store.Regular, false: store.Semi}[i%2 == 0])
		if i%4 == 0 {
			add(store.Deputy, 2, store.Vacant)
		}
		add(store.Officer, 1, store.Regular)
		add(store.Officer, 2, map[bool]store.Status{true: store.Semi, false: store.Regular}[i%5 == 1])
		add(store.Officer, 3, map[bool]store.Status{true: store.Vacant, false: store.Regular}[i%3 == 1])
	}
	return out
}

// say types text as from and returns the bot's new message in from's chat.
func (e *env) say(from tgtest.User, text string) tgtest.Message {
	e.t.Helper()
	n := len(e.srv.Messages(from.ID))
	e.srv.SendText(from, from.ID, text)
	return e.waitNew(from.ID, n)
}

// huy types /huy as from and waits until the bot has answered it: by
// editing a message of the chat (the conversation's, to "Đã hủy.") or by
// a new one (when nothing was going on).
func (e *env) huy(from tgtest.User) {
	e.t.Helper()
	edits := make(map[int64]int)
	var last int64
	for _, m := range e.srv.Messages(from.ID) {
		edits[m.ID], last = m.Edits, m.ID
	}
	e.srv.SendText(from, from.ID, "/huy")
	ctx, cancel := context.WithTimeout(e.ctx, e.waitFor())
	defer cancel()
	err := e.srv.WaitFor(ctx, func() bool {
		for _, m := range e.srv.Messages(from.ID) {
			if m.ID > last || m.Edits > edits[m.ID] {
				return true
			}
		}
		return false
	})
	if err != nil {
		e.t.Fatalf("/huy not answered in chat %d: %v", from.ID, err)
	}
}

// waitNew waits for the chat's message number n+1 (the first is 1).
func (e *env) waitNew(chat int64, n int) tgtest.Message {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, e.waitFor())
	defer cancel()
	ms, err := e.srv.WaitMessages(ctx, chat, n+1)
	if err != nil {
		e.t.Fatalf("no answer in chat %d: %v", chat, err)
	}
	return ms[n]
}

// waitHolding waits for the first message of the chat after its n-th
// whose text holds want, and fails naming the new messages when none
// comes.
func (e *env) waitHolding(chat int64, n int, want string) tgtest.Message {
	e.t.Helper()
	after := func() []tgtest.Message {
		ms := e.srv.Messages(chat)
		return ms[min(n, len(ms)):]
	}
	ctx, cancel := context.WithTimeout(e.ctx, e.waitFor())
	defer cancel()
	var got tgtest.Message
	err := e.srv.WaitFor(ctx, func() bool {
		for _, m := range after() {
			if strings.Contains(m.PlainText, want) {
				got = m
				return true
			}
		}
		return false
	})
	if err != nil {
		var texts []string
		for _, m := range after() {
			texts = append(texts, m.PlainText)
		}
		e.t.Fatalf("no message holding %q in chat %d among the new %q: %v", want, chat, texts, err)
	}
	return got
}

// press presses the button labelled label under msg and waits until the
// bot has answered the press.
func (e *env) press(from tgtest.User, msg tgtest.Message, label string) tgtest.CallbackAnswer {
	e.t.Helper()
	data := ""
	for _, row := range msg.Keyboard {
		for _, b := range row {
			if b.Text == label {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		e.t.Fatalf("no button %q under %q (buttons %v)", label, msg.PlainText, msg.Keyboard)
	}
	return e.pressData(from, msg, data)
}

func (e *env) pressData(from tgtest.User, msg tgtest.Message, data string) tgtest.CallbackAnswer {
	e.t.Helper()
	id, err := e.srv.PressButton(from, msg, data)
	if err != nil {
		e.t.Fatalf("press %q: %v", data, err)
	}
	ctx, cancel := context.WithTimeout(e.ctx, e.waitFor())
	defer cancel()
	var ans tgtest.CallbackAnswer
	err = e.srv.WaitFor(ctx, func() bool {
		var ok bool
		ans, ok = e.srv.CallbackAnswer(id)
		return ok
	})
	if err != nil {
		e.t.Fatalf("press %q not answered: %v", data, err)
	}
	return ans
}

// message returns a chat's message by id as it stands now.
func (e *env) message(chat, id int64) tgtest.Message {
	e.t.Helper()
	for _, m := range e.srv.Messages(chat) {
		if m.ID == id {
			return m
		}
	}
	e.t.Fatalf("message %d of chat %d is gone", id, chat)
	return tgtest.Message{}
}

// addDoiMay imports a xã Đồi Mây in Lạc Sơn, with no posts, as the CLI
// or another replica would while the bot runs.
func (e *env) addDoiMay() {
	e.t.Helper()
	rows := []store.CommuneRow{{Line: 2, DistrictCode: "157", DistrictName: "Huyện Lạc Sơn", Code: "99001", Name: "Đồi Mây", Type: store.Xa}}
	if _, err := e.db.ImportCommunes(e.ctx, rows, hoaBinh, "them-xa.csv", e.clock.Now()); err != nil {
		e.t.Fatal(err)
	}
}

// askUntil asks again until the answer is ok, as it is once the bot's
// roster check has seen a change, and returns it; it fails after the
// env's wait.
func (e *env) askUntil(u tgtest.User, question string, ok func(answer string) bool) string {
	e.t.Helper()
	deadline := time.Now().Add(e.waitFor())
	for {
		got := e.say(u, question).PlainText
		if ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s on, %q is still answered %q", e.waitFor(), question, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// reportCount is how many reports a commune has.
func (e *env) reportCount(commune string) int {
	e.t.Helper()
	h, err := e.db.History(context.Background(), commune, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(h)
}

// shown is what a user reads of a message: its text and its buttons.
func shown(m tgtest.Message) string {
	var sb strings.Builder
	sb.WriteString(m.PlainText)
	for _, row := range m.Keyboard {
		for _, b := range row {
			sb.WriteString("\n[" + b.Text + "]")
		}
	}
	return sb.String()
}

// postWebhook sends a raw update to the webhook with a secret, performs
// the method its answer names, and returns the status.
func (e *env) postWebhook(secretHeaderValue, body string) int {
	e.t.Helper()
	code, answer := e.postWebhookAnswer(secretHeaderValue, body)
	performAnswer(e.t, e.srv, code, answer)
	return code
}

// postWebhookAnswer sends a raw update to the webhook with a secret and
// returns the status and the answer's body, performing nothing.
func (e *env) postWebhookAnswer(secretHeaderValue, body string) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.hook.URL, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secretHeaderValue != "" {
		req.Header.Set(secretHeader, secretHeaderValue)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(answer) > 0 && resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") != "application/json" {
		e.t.Errorf("webhook answer %q with Content-Type %q", answer, resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, answer
}

// performAnswer does what Telegram does with a webhook's 200 answer that
// names a method: it calls the method, here on the tgtest server.
func performAnswer(t *testing.T, srv *tgtest.Server, code int, body []byte) {
	t.Helper()
	if code != http.StatusOK || len(body) == 0 {
		return
	}
	var params map[string]any
	if err := json.Unmarshal(body, &params); err != nil {
		t.Errorf("webhook answer %q: %v", body, err)
		return
	}
	method, _ := params["method"].(string)
	if method == "" {
		t.Errorf("webhook answer %q names no method", body)
		return
	}
	delete(params, "method")
	call, err := json.Marshal(params)
	if err != nil {
		t.Error(err)
		return
	}
	got, err := http.Post(srv.URL+"/bot"+srv.Token+"/"+method, "application/json", bytes.NewReader(call))
	if err != nil {
		t.Error(err)
		return
	}
	got.Body.Close()
}
