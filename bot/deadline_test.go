package bot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
	"github.com/caxbot/caxbot/store/storetest"
)

// postWith posts an update to the webhook with client and returns the
// status, 0 when the client gave up; a 200's answer is performed.
func (e *env) postWith(client *http.Client, body string) int {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.hook.URL, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set(secretHeader, secret)
	resp, err := client.Do(req)
	var ue *url.Error
	if errors.As(err, &ue) && ue.Timeout() {
		return 0
	}
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	performAnswer(e.t, e.srv, resp.StatusCode, answer)
	return resp.StatusCode
}

// questionUpdate is a webhook update: provinceUser asks about Tân Lập.
func questionUpdate(id int64) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1584324000,"from":{"id":%d,"is_bot":false,"first_name":"T"},`+
		`"chat":{"id":%d,"type":"private"},"text":"/xa Tân Lập"}}`, id, id, provinceUser.ID, provinceUser.ID)
}

// patient is a client that waits far longer than any update deadline the
// tests set: only a handler that ignores its deadline makes it give up.
var patient = &http.Client{Timeout: 20 * time.Second}

// TestWebhookStoreStall freezes the network to Postgres while a question
// comes by webhook: the update fails at its deadline with a 500 instead
// of waiting for the store, its claim is given back, and Telegram's retry
// once the store is back is answered, once.
func TestWebhookStoreStall(t *testing.T) {
	var pg *storetest.Proxy
	be := backend{"postgres(proxy)+redis", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		db, p := storetest.PostgresBehind(t)
		pg = p
		return db, storetest.Redis(t)
	}}
	e := newEnv(t, be, true, Options{UpdateDeadline: 500 * time.Millisecond})
	e.srv.AddUser(provinceUser)
	body := questionUpdate(950001)
	pg.Stall()
	if code := e.postWith(patient, body); code != http.StatusInternalServerError {
		t.Fatalf("while Postgres stalls: status %d, want 500 at the update's deadline", code)
	}
	// Another update meanwhile fails the same way: no worker is stuck.
	if code := e.postWith(patient, questionUpdate(950002)); code != http.StatusInternalServerError {
		t.Errorf("second update while Postgres stalls: status %d, want 500", code)
	}
	pg.Up()
	code := 0
	for i := 0; i < 5 && code != http.StatusOK; i++ {
		code = e.postWebhook(secret, body)
	}
	if code != http.StatusOK {
		t.Fatalf("retry after the stall: status %d", code)
	}
	ms := e.srv.Messages(provinceUser.ID)
	if len(ms) != 1 || !strings.Contains(ms[0].PlainText, "Bùi Văn 05287-C1") {
		t.Errorf("answers %+v, want one with the roster", ms)
	}
}

// TestWebhookAbandonedAnswer: Telegram gives up on a webhook request
// while a stalled store holds the update, and the store comes back
// before the update's deadline. The answer, which would have ridden in
// the abandoned response, goes through the client; Telegram's retry of
// the update is not answered again.
func TestWebhookAbandonedAnswer(t *testing.T) {
	var pg *storetest.Proxy
	be := backend{"postgres(proxy)+redis", func(t *testing.T, now func() time.Time) (*store.DB, state.State) {
		db, p := storetest.PostgresBehind(t)
		pg = p
		return db, storetest.Redis(t)
	}}
	e := newEnv(t, be, true, Options{UpdateDeadline: 20 * time.Second})
	e.srv.AddUser(provinceUser)
	body := questionUpdate(951001)
	pg.Stall()
	if code := e.postWith(&http.Client{Timeout: 300 * time.Millisecond}, body); code != 0 {
		t.Fatalf("a request Telegram gives up on got status %d", code)
	}
	pg.Up()
	got := e.waitNew(provinceUser.ID, 0)
	if !strings.Contains(got.PlainText, "Bùi Văn 05287-C1") {
		t.Errorf("answer %q", got.PlainText)
	}
	// Telegram's retry: answered 503 while the first is still being
	// settled, then 200, and nothing more is sent.
	code := 0
	for i := 0; i < 50 && code != http.StatusOK; i++ {
		if code = e.postWebhook(secret, body); code == http.StatusServiceUnavailable {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if code != http.StatusOK {
		t.Fatalf("Telegram's retry: status %d", code)
	}
	if n := len(e.srv.Messages(provinceUser.ID)); n != 1 {
		t.Errorf("%d answers, want 1", n)
	}
}

// TestWebhookClaimOfDeadReplicaLapses: a replica that died mid-update
// leaves the update's claim pending. Telegram's retries are answered 503
// (not 200, which would drop the update) until the claim lapses, and the
// next one is handled.
func TestWebhookClaimOfDeadReplicaLapses(t *testing.T) {
	e := newEnv(t, backends[0], true, Options{UpdateDeadline: time.Second})
	e.srv.AddUser(provinceUser)
	body := questionUpdate(952001)
	if err := e.st.PutConversation(e.ctx, "upd:952001", claimPending, e.bot.pendingTTL()); err != nil {
		t.Fatal(err)
	}
	if code := e.postWebhook(secret, body); code != http.StatusServiceUnavailable {
		t.Fatalf("retry while the dead replica's claim is pending: status %d, want 503", code)
	}
	e.clock.mu.Lock()
	e.clock.t = e.clock.t.Add(e.bot.pendingTTL() + time.Second)
	e.clock.mu.Unlock()
	if code := e.postWebhook(secret, body); code != http.StatusOK {
		t.Fatalf("retry once the claim lapsed: status %d, want 200", code)
	}
	if ms := e.srv.Messages(provinceUser.ID); len(ms) != 1 {
		t.Errorf("%d answers, want 1", len(ms))
	}
}

// TestSettleAfterClaimLapsed: an update handled after its pending claim
// lapsed (a store that took longer than the deadline's margin) is still
// settled, so that Telegram's retry is dropped rather than handled twice.
func TestSettleAfterClaimLapsed(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			e := newEnv(t, be, true, Options{})
			r := &request{upd: &models.Update{ID: 953001}, claim: "upd:953001", claimed: true}
			e.bot.endClaim(e.ctx, r, nil)
			got, ok, err := e.st.GetConversation(e.ctx, "upd:953001")
			if err != nil || !ok || !bytes.Equal(got, claimSettled) {
				t.Errorf("claim after handling = %q, %v, %v; want settled", got, ok, err)
			}
		})
	}
}
