package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/reminders"
	"github.com/caxbot/caxbot/store"
)

// Chat ids of the test: outbox items go to outboxChats from firstOutboxChat
// on, one each; webhook updates come from unknown users from
// firstUpdateUser on, one each, so every chat should end with exactly one
// message from the bot.
const (
	firstOutboxChat = 7001
	outboxChats     = 40
	firstUpdateUser = 8001
)

func isOutboxChat(id int64) bool {
	return id >= firstOutboxChat && id < firstOutboxChat+outboxChats
}

func isUpdateUser(id int64) bool { return id >= firstUpdateUser && id < firstUpdateUser+100 }

// gatedAPI stands between the replicas and tgtest. It slows every outbox
// send, so that a drain is still going when SIGTERM comes, and holds the
// holdAt-th outbox send until releaseOutbox is closed and every answer to
// a webhook update until releaseUpdates is, so that at SIGTERM one send is
// in flight and the updates are in hand.
type gatedAPI struct {
	proxy          *httputil.ReverseProxy
	delay          time.Duration
	holdAt         int
	releaseOutbox  chan struct{}
	releaseUpdates chan struct{}
	arrived        chan int64 // chat id of each held request, as it arrives

	mu          sync.Mutex
	outboxSends int
	heldChat    int64 // the outbox chat whose send was held
}

func newGatedAPI(srv *tgtest.Server, delay time.Duration, holdAt int) *gatedAPI {
	u, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(u)
	// A send the replica gives up on ends in a proxy error: the test's
	// assertions say whether that matters.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	return &gatedAPI{
		proxy:          proxy,
		delay:          delay,
		holdAt:         holdAt,
		releaseOutbox:  make(chan struct{}),
		releaseUpdates: make(chan struct{}),
		arrived:        make(chan int64, 200),
	}
}

func (g *gatedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, "/sendMessage") {
		g.proxy.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	form := r.Clone(r.Context())
	form.Body = io.NopCloser(bytes.NewReader(body))
	form.ParseMultipartForm(1 << 20)
	chat, _ := strconv.ParseInt(form.FormValue("chat_id"), 10, 64)

	var release chan struct{}
	if isUpdateUser(chat) {
		release = g.releaseUpdates
	}
	if isOutboxChat(chat) {
		time.Sleep(g.delay)
		g.mu.Lock()
		g.outboxSends++
		if g.outboxSends == g.holdAt {
			release, g.heldChat = g.releaseOutbox, chat
		}
		g.mu.Unlock()
	}
	if release != nil {
		g.arrived <- chat
		<-release
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	g.proxy.ServeHTTP(w, r)
}

func (g *gatedAPI) held() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.heldChat
}

// front is the load balancer the webhook points at: it passes updates to
// one replica, or answers 502 when it has none, and Telegram retries.
type front struct {
	mu     sync.Mutex
	target *httputil.ReverseProxy
}

func (f *front) use(p *process) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.target = httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: p.listen})
	// A replica stopping refuses connections: that is the point, not news.
	f.target.ErrorLog = log.New(io.Discard, "", 0)
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	t := f.target
	f.mu.Unlock()
	if t == nil {
		http.Error(w, "no replica", http.StatusBadGateway)
		return
	}
	t.ServeHTTP(w, r)
}

// outboxRow is what the store says of an outbox item.
type outboxRow struct {
	chat       int64
	state      string
	leaseOwner string
	leased     bool
}

func outboxRows(t *testing.T, db *sql.DB) map[int64]outboxRow {
	t.Helper()
	rows, err := db.Query("SELECT chat_id, state, lease_owner, lease_until IS NOT NULL FROM outbox")
	if err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	defer rows.Close()
	got := make(map[int64]outboxRow)
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.chat, &r.state, &r.leaseOwner, &r.leased); err != nil {
			t.Fatalf("read outbox: %v", err)
		}
		got[r.chat] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	return got
}

// poll waits until cond holds, looking every few milliseconds, for what
// tells nobody when it changes (a process's log, the store).
func poll(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("poll: %w", ctx.Err())
		}
	}
	return nil
}

// waitExit waits for the process to end, failing the test if it hangs.
func waitExit(t *testing.T, p *process) {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("replica %s still running 30 s after SIGTERM", p.listen)
	}
	if p.err != nil {
		t.Errorf("replica %s exited with %v, want 0", p.listen, p.err)
	}
	if strings.Contains(p.stderr.String(), "shutdown grace over") {
		t.Errorf("replica %s left work unfinished at shutdown", p.listen)
	}
}

// TestShutdown stops a `caxbot serve` with SIGTERM while it drains the
// outbox, with one send in flight, and while it holds webhook updates: it
// exits 0, every update it took is answered, the send in flight is
// finished and recorded, the items it did not get to are given back
// unleased, and a second replica on the same store sends them and answers
// the updates the first refused. Nothing is lost and nothing goes twice.
func TestShutdown(t *testing.T) {
	srv := tgtest.NewServer(tgtest.Options{
		BotUsername: "caxbot_bot",
		Scale:       1000,
		// Updates refused while no replica listens are retried until the
		// second replica sets the webhook again.
		WebhookAttempts:   30,
		WebhookRetryDelay: 20 * time.Millisecond,
	})
	defer srv.Close()
	env := sharedEnv(t, srv)
	bin := buildCaxbot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// The outbox: one item due now for each of outboxChats chats.
	db, err := store.Open(ctx, env["DATABASE_URL"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var items []store.OutboxItem
	for i := range outboxChats {
		chat := int64(firstOutboxChat + i)
		srv.AddUser(tgtest.User{ID: chat, FirstName: "Post " + strconv.Itoa(i)})
		payload, err := reminders.MessagePayload(reminders.Message{Text: fmt.Sprintf("shutdown item %d", chat)})
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, store.OutboxItem{Key: fmt.Sprintf("shutdown:%d", chat), ChatID: chat, Kind: "reminder",
			Payload: payload, DueAt: now.Add(-time.Minute)})
	}
	if n, err := db.Enqueue(ctx, items); err != nil || n != outboxChats {
		t.Fatalf("enqueue: %d, %v", n, err)
	}
	raw, err := sql.Open("postgres", env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	api := newGatedAPI(srv, 50*time.Millisecond, 10)
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	releaseOutbox := sync.OnceFunc(func() { close(api.releaseOutbox) })
	releaseUpdates := sync.OnceFunc(func() { close(api.releaseUpdates) })
	defer releaseOutbox()
	defer releaseUpdates()
	env["CAXBOT_TELEGRAM_API"] = apiSrv.URL
	lb := &front{}
	lbSrv := httptest.NewServer(lb)
	defer lbSrv.Close()
	env["CAXBOT_WEBHOOK_URL"] = lbSrv.URL + "/telegram"

	a := startServe(t, bin, env)
	lb.use(a)
	waitReady(t, ctx, srv, a)
	if err := srv.WaitFor(ctx, func() bool { return len(srv.CallsOf("setWebhook")) >= 1 }); err != nil {
		t.Fatal(err)
	}

	// Updates from unknown users, each answered with one message: those
	// sent before SIGTERM are all in hand when it comes.
	var users []tgtest.User
	updateOf := map[int64]int64{} // user → the update id of their message
	send := func(n int) {
		for range n {
			u := tgtest.User{ID: int64(firstUpdateUser + len(users)), FirstName: "Khách", LanguageCode: "vi"}
			users = append(users, u)
			updateOf[u.ID] = srv.SendText(u, u.ID, "xin chào")
		}
	}
	send(6)
	heldUpdates := map[int64]bool{}
	heldOutbox := false
	for !heldOutbox || len(heldUpdates) < 6 {
		select {
		case chat := <-api.arrived:
			if isOutboxChat(chat) {
				heldOutbox = true
			} else {
				heldUpdates[chat] = true
			}
		case <-ctx.Done():
			t.Fatalf("not all in hand: outbox send held %v, %d updates held", heldOutbox, len(heldUpdates))
		}
	}

	a.cmd.Process.Signal(syscall.SIGTERM)
	if err := poll(ctx, func() bool { return strings.Contains(a.stderr.String(), "msg=stopping") }); err != nil {
		t.Fatalf("replica does not say it is stopping: %v", err)
	}
	// Updates that come while it stops; whoever takes them must answer.
	send(3)
	// The updates in hand are answered while the outbox send is still in
	// flight; then the HTTP server, which looks at its connections at
	// least every 500 ms, returns, and the senders are told to stop; the
	// pause lets that happen before the send in flight comes back.
	releaseUpdates()
	err = srv.WaitFor(ctx, func() bool {
		n := 0
		for _, d := range srv.WebhookDeliveries() {
			if d.StatusCode == http.StatusOK {
				n++
			}
		}
		return n >= len(heldUpdates)
	})
	if err != nil {
		t.Fatalf("updates in hand not answered: %v", err)
	}
	time.Sleep(time.Second)
	releaseOutbox()
	waitExit(t, a)
	if t.Failed() {
		t.FailNow()
	}

	// Every update the stopped replica said 200 to is answered, and those
	// it had in hand at SIGTERM are among them.
	ok := map[int64]bool{}
	for _, d := range srv.WebhookDeliveries() {
		if d.StatusCode == http.StatusOK {
			ok[d.UpdateID] = true
		}
	}
	for _, u := range users {
		answered := len(srv.Messages(u.ID))
		switch {
		case heldUpdates[u.ID] && !ok[updateOf[u.ID]]:
			t.Errorf("update of user %d was in hand at SIGTERM and not answered 200", u.ID)
		case ok[updateOf[u.ID]] && answered != 1:
			t.Errorf("update of user %d answered 200, and %d times in the chat, want once", u.ID, answered)
		}
	}

	// The outbox: the held send went out once and is recorded; every item
	// sent is recorded sent; every other is pending with no lease.
	rows := outboxRows(t, raw)
	if len(rows) != outboxChats {
		t.Fatalf("%d outbox items, want %d", len(rows), outboxChats)
	}
	if r := rows[api.held()]; r.state != string(store.OutboxSent) {
		t.Errorf("send in flight at SIGTERM (chat %d): item %s, want sent", api.held(), r.state)
	}
	left := 0
	for chat, r := range rows {
		n := len(srv.Messages(chat))
		switch {
		case n > 1:
			t.Errorf("chat %d got item %d times", chat, n)
		case n == 1 && r.state != string(store.OutboxSent):
			t.Errorf("chat %d got its item but the store says %s: it would go again", chat, r.state)
		case n == 0 && r.state != string(store.OutboxPending):
			t.Errorf("chat %d got nothing but the store says %s", chat, r.state)
		case n == 0 && (r.leaseOwner != "" || r.leased):
			t.Errorf("chat %d: item still leased to %q after a clean stop", chat, r.leaseOwner)
		case n == 0:
			left++
		}
	}
	if left == 0 {
		t.Errorf("the stopped replica sent every item: it was not stopped mid-drain")
	}
	if keys := redisKeys(t, env, "lease:*"); len(keys) != 0 {
		t.Errorf("leases left in Redis after a clean stop: %v", keys)
	}
	if t.Failed() {
		t.FailNow() // the second replica would wait out leases or miss what it should find
	}
	t.Logf("stopped with %d of %d items left, %d of %d updates answered 200", left, outboxChats, len(ok), len(users))

	// A second replica on the same store sends what is left and answers
	// the updates the first refused, each once.
	b := startServe(t, bin, env)
	lb.use(b)
	// The store records sends after Telegram saw them, and tells nobody:
	// it is looked at every few milliseconds.
	err = poll(ctx, func() bool {
		for _, u := range users {
			if len(srv.Messages(u.ID)) == 0 {
				return false
			}
		}
		for _, r := range outboxRows(t, raw) {
			if r.state != string(store.OutboxSent) {
				return false
			}
		}
		return true
	})
	if err != nil {
		for _, u := range users {
			if len(srv.Messages(u.ID)) == 0 {
				t.Errorf("user %d (update %d) never answered", u.ID, updateOf[u.ID])
			}
		}
		for chat, r := range outboxRows(t, raw) {
			if r.state != string(store.OutboxSent) {
				t.Errorf("chat %d: item %s, leased to %q", chat, r.state, r.leaseOwner)
			}
		}
		t.Fatalf("second replica did not finish: %v", err)
	}
	for i := range outboxChats {
		chat := int64(firstOutboxChat + i)
		msgs := srv.Messages(chat)
		if len(msgs) != 1 {
			t.Errorf("chat %d got %d messages, want its item once", chat, len(msgs))
			continue
		}
		if want := fmt.Sprintf("shutdown item %d", chat); msgs[0].PlainText != want {
			t.Errorf("chat %d got %q, want %q", chat, msgs[0].PlainText, want)
		}
	}
	for _, u := range users {
		if n := len(srv.Messages(u.ID)); n != 1 {
			t.Errorf("user %d answered %d times, want once", u.ID, n)
		}
	}
	b.cmd.Process.Signal(syscall.SIGTERM)
	waitExit(t, b)
}

// redisKeys lists the keys under the test's prefix matching pattern.
func redisKeys(t *testing.T, env map[string]string, pattern string) []string {
	t.Helper()
	opt, err := redis.ParseURL(env["REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	keys, err := c.Keys(context.Background(), env["CAXBOT_REDIS_PREFIX"]+pattern).Result()
	if err != nil {
		t.Fatalf("redis keys: %v", err)
	}
	return keys
}
