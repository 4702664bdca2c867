package bot

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// gate holds the Bot API calls of one chat, for the methods named, until
// it is opened; the others pass. held receives each call it holds.
type gate struct {
	chat    int64
	methods []string
	open    chan struct{}
	held    chan string
	once    sync.Once
}

func newGate(chat int64, methods ...string) *gate {
	return &gate{chat: chat, methods: methods, open: make(chan struct{}), held: make(chan string, 100)}
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

func (g *gate) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		hold := false
		for _, m := range g.methods {
			hold = hold || m == method
		}
		if hold {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, "read", http.StatusBadRequest)
				return
			}
			form := r.Clone(r.Context())
			form.Body = io.NopCloser(bytes.NewReader(body))
			form.ParseMultipartForm(1 << 20)
			if form.FormValue("chat_id") == strconv.FormatInt(g.chat, 10) {
				g.held <- method
				<-g.open
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// waitHeld waits until the gate holds a call of method.
func (g *gate) waitHeld(t *testing.T, method string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		select {
		case m := <-g.held:
			if m == method {
				return
			}
		case <-ctx.Done():
			t.Fatalf("no %s held", method)
		}
	}
}

// TestSlowChatDelaysNoOne holds the answer to one chat in flight, as a
// slow network or a slow Telegram would, with two workers: another chat
// (one that the dispatcher used to give the same worker) is answered
// meanwhile, and the slow chat's next message waits for its first, so
// that its answers stay in order.
func TestSlowChatDelaysNoOne(t *testing.T) {
	slow, other := provinceUser, communeUser
	g := newGate(slow.ID, "sendMessage")
	t.Cleanup(g.release)
	e := newEnvVia(t, backends[0], false, Options{Workers: 2}, g.front)
	e.srv.SendText(slow, slow.ID, "/trogiup")
	g.waitHeld(t, "sendMessage")
	e.srv.SendText(slow, slow.ID, "/moc")
	if got := e.say(other, "/xa"); !strings.Contains(got.PlainText, "Tân Lập") {
		t.Errorf("the other chat got %q", got.PlainText)
	}
	if n := len(e.srv.Messages(slow.ID)); n != 0 {
		t.Errorf("the slow chat's second message was answered before its first: %d messages", n)
	}
	g.release()
	ms := e.waitNew(slow.ID, 1)
	first := e.srv.Messages(slow.ID)[0]
	if !strings.Contains(first.PlainText, "/thieu") || strings.Contains(ms.PlainText, "/thieu") {
		t.Errorf("answers out of order: %q, then %q", first.PlainText, ms.PlainText)
	}
}

// TestDigestLeavesTheUpdatePath: building and sending the weekly digest
// takes a while. The user is told it is being prepared, and while its
// parts are still on their way, the same user's next question, another
// user's, and a second /baocaotuan (told to wait) are all answered.
func TestDigestLeavesTheUpdatePath(t *testing.T) {
	asker, other := provinceUser, communeUser
	g := newGate(asker.ID, "sendPhoto", "sendDocument")
	t.Cleanup(g.release)
	e := newEnvVia(t, backends[0], false, Options{Workers: 2}, g.front)
	if got := e.say(asker, "/baocaotuan"); !strings.Contains(got.PlainText, "đang lập bản tin") {
		t.Fatalf("answer %q, want the notice that the digest is being prepared", got.PlainText)
	}
	g.waitHeld(t, "sendPhoto")
	if got := e.say(asker, "/moc"); !strings.Contains(got.PlainText, "31/03/2020") {
		t.Errorf("the asker's next question got %q", got.PlainText)
	}
	if got := e.say(asker, "/baocaotuan"); !strings.Contains(got.PlainText, "vẫn đang lập") {
		t.Errorf("a second /baocaotuan while the first is prepared: %q", got.PlainText)
	}
	if got := e.say(other, "/xa"); !strings.Contains(got.PlainText, "Tân Lập") {
		t.Errorf("another user got %q", got.PlainText)
	}
	g.release()
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	err := e.srv.WaitFor(ctx, func() bool {
		for _, m := range e.srv.Messages(asker.ID) {
			if m.Document != nil {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("the digest's workbook never came: %v", err)
	}
}
