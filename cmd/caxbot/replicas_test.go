package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/caxbot/caxbot/bot/tgtest"
	"github.com/caxbot/caxbot/store/storetest"
)

// sharedEnv is the environment of replicas sharing a Postgres schema and a
// Redis key prefix of the test's own, both removed when it ends.
func sharedEnv(t *testing.T, srv *tgtest.Server) map[string]string {
	t.Helper()
	pg := storetest.PostgresURL(t)
	rd, prefix := storetest.RedisURL(t)
	return map[string]string{
		"DATABASE_URL":          pg,
		"REDIS_URL":             rd,
		"CAXBOT_REDIS_PREFIX":   prefix,
		"TELEGRAM_BOT_TOKEN":    srv.Token,
		"CAXBOT_TELEGRAM_API":   srv.URL,
		"CAXBOT_WEBHOOK_SECRET": "caxbot-test-secret-1234",
		"CAXBOT_LOG_LEVEL":      "info",
	}
}

// buildCaxbot builds the binary once per test.
func buildCaxbot(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "caxbot")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer is a process's standard error, read while it writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// process is one `caxbot serve`.
type process struct {
	listen string
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
	err    error // set before exited is closed
}

func startServe(t *testing.T, bin string, env map[string]string) *process {
	t.Helper()
	return startServeWith(t, bin, env, 2)
}

// startServeWith is startServe with that many outbox senders.
func startServeWith(t *testing.T, bin string, env map[string]string, senders int) *process {
	t.Helper()
	return startProcess(t, bin, env, freeAddr(t), senders)
}

// startServeAt is startServe listening on listen.
func startServeAt(t *testing.T, bin string, env map[string]string, listen string) *process {
	t.Helper()
	return startProcess(t, bin, env, listen, 2)
}

func startProcess(t *testing.T, bin string, env map[string]string, listen string, senders int) *process {
	t.Helper()
	p := &process{listen: listen, stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--senders", strconv.Itoa(senders))
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "CAXBOT_LISTEN=" + p.listen}
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("replica %s:\n%s", p.listen, p.stderr.String())
		}
	})
	return p
}

// waitReady waits until every process answers /readyz.
func waitReady(t *testing.T, ctx context.Context, srv *tgtest.Server, ps ...*process) {
	t.Helper()
	err := srv.WaitFor(ctx, func() bool {
		for _, p := range ps {
			resp, err := http.Get("http://" + p.listen + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return false
			}
		}
		return true
	})
	if err != nil {
		t.Fatalf("replicas not ready: %v", err)
	}
}

// roundRobin is the load balancer in front of the replicas: update after
// update it takes the next one, and notes which got which update.
type roundRobin struct {
	mu      sync.Mutex
	next    int
	proxies []*httputil.ReverseProxy
	got     map[int64]int // update id → replica index (the last attempt's)
}

// add puts replicas behind the proxy.
func (rr *roundRobin) add(ps ...*process) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for _, p := range ps {
		rr.proxies = append(rr.proxies, httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: p.listen}))
	}
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	var upd struct {
		UpdateID int64 `json:"update_id"`
	}
	json.Unmarshal(body, &upd)
	rr.mu.Lock()
	if len(rr.proxies) == 0 {
		rr.mu.Unlock()
		http.Error(w, "no replica yet", http.StatusBadGateway)
		return
	}
	i := rr.next % len(rr.proxies)
	rr.next++
	rr.got[upd.UpdateID] = i
	proxy := rr.proxies[i]
	rr.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	proxy.ServeHTTP(w, r)
}

func (rr *roundRobin) replicaOf(updateID int64) (int, bool) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	i, ok := rr.got[updateID]
	return i, ok
}

// setUp fills the shared store: the roster, two posts, a province user
// (100) and a commune user (200).
func setUp(t *testing.T, env map[string]string) {
	t.Helper()
	mustRun(t, env, "import", "communes", rosterFile)
	mustRun(t, env, "import", "posts", writeFile(t, "posts.csv", "commune_code,post,slot,status,holder,since\n04849,chief,1,semi,Xa Văn Minh,\n04855,chief,1,regular,Bùi Văn An,2020-03-15\n"))
	mustRun(t, env, "users", "add", "--telegram-id", "100", "--role", "province", "--scope", "17", "--name", "Nguyễn Văn Tỉnh")
	mustRun(t, env, "users", "add", "--telegram-id", "200", "--role", "commune", "--scope", "04849", "--name", "Xa Văn Minh")
}

// metricSum adds up the samples of a metric whose line contains every
// one of labels, as a replica's /metrics shows them.
func metricSum(t *testing.T, p *process, name string, labels ...string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + p.listen + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var sum float64
lines:
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		for _, l := range labels {
			if !strings.Contains(line, l) {
				continue lines
			}
		}
		var v float64
		fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &v)
		sum += v
	}
	return sum
}

// TestReplicas runs two `caxbot serve` processes on one Postgres and one
// Redis behind a round-robin proxy: the answers are those of one process,
// a button conversation moves from one replica to the other, and every
// update is handled, and answered, once.
func TestReplicas(t *testing.T) {
	srv := tgtest.NewServer(tgtest.Options{BotUsername: "caxbot_bot", Scale: 1000})
	defer srv.Close()
	env := sharedEnv(t, srv)
	setUp(t, env)
	bin := buildCaxbot(t)

	rr := &roundRobin{got: make(map[int64]int)}
	proxy := httptest.NewServer(rr)
	defer proxy.Close()
	// Both replicas set the webhook at start; it points at the proxy.
	env["CAXBOT_WEBHOOK_URL"] = proxy.URL + "/telegram"
	a, b := startServe(t, bin, env), startServe(t, bin, env)
	rr.add(a, b)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	waitReady(t, ctx, srv, a, b)
	if err := srv.WaitFor(ctx, func() bool { return len(srv.CallsOf("setWebhook")) >= 2 }); err != nil {
		t.Fatal(err)
	}

	// The same question, asked four times, gets the one-process answer
	// four times, from both replicas.
	province := tgtest.User{ID: 100, FirstName: "Tỉnh", LanguageCode: "vi"}
	for i := range 4 {
		srv.SendText(province, province.ID, "toan tinh con bao nhieu xa chua co truong cong an chinh quy")
		msgs, err := srv.WaitMessages(ctx, province.ID, i+1)
		if err != nil {
			t.Fatalf("question %d: %v", i+1, err)
		}
		// 141 xã and thị trấn; one has a regular chief, one a semi, the
		// rest none on record.
		if got := msgs[i].PlainText; !strings.Contains(got, "còn 140 xã") {
			t.Errorf("answer %d = %q", i+1, got)
		}
	}

	// A report conversation: /baocao on one replica, the button presses
	// on the other, each step answered.
	commune := tgtest.User{ID: 200, FirstName: "Minh", LanguageCode: "vi"}
	// handled waits until the update's delivery was answered 200: the
	// reply shows before the conversation is saved, and a press that came
	// in between would rightly be stale.
	waitHandled := func(step int, upd int64) {
		t.Helper()
		err := srv.WaitFor(ctx, func() bool {
			for _, d := range srv.WebhookDeliveries() {
				if d.UpdateID == upd && d.StatusCode == http.StatusOK {
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("step %d: update %d not handled: %v", step, upd, err)
		}
	}
	upd := srv.SendText(commune, commune.ID, "/baocao")
	if _, err := srv.WaitMessages(ctx, commune.ID, 1); err != nil {
		t.Fatal(err)
	}
	waitHandled(-1, upd)
	last, _ := rr.replicaOf(upd)
	for step := 0; step < 2; step++ {
		msgs := srv.Messages(commune.ID)
		m := msgs[len(msgs)-1]
		if len(m.Keyboard) == 0 || len(m.Keyboard[0]) == 0 {
			t.Fatalf("step %d: no buttons under %q", step, m.PlainText)
		}
		before := len(msgs)
		edits := m.Edits
		id, err := srv.PressButton(commune, m, m.Keyboard[0][0].CallbackData)
		if err != nil {
			t.Fatalf("step %d: press: %v", step, err)
		}
		err = srv.WaitFor(ctx, func() bool {
			now := srv.Messages(commune.ID)
			return len(now) > before || now[before-1].Edits > edits
		})
		if err != nil {
			t.Fatalf("step %d: the press changed nothing: %v", step, err)
		}
		waitHandled(step, id)
		if ans, _ := srv.CallbackAnswer(id); strings.Contains(ans.Text, "không còn hiệu lực") {
			t.Errorf("step %d: press answered as stale: %q", step, ans.Text)
		}
		i, _ := rr.replicaOf(id)
		if i == last {
			t.Errorf("step %d: handled by replica %d again; round robin should alternate", step, i)
		}
		last = i
	}

	// Every update (4 questions, /baocao, 2 presses) was answered 200
	// once and counted once, over both.
	const updates = 7
	if err := srv.WaitFor(ctx, func() bool { return len(srv.WebhookDeliveries()) >= updates }); err != nil {
		t.Fatalf("deliveries: %v", err)
	}
	deliveries := srv.WebhookDeliveries()
	if len(deliveries) != updates {
		t.Errorf("%d webhook deliveries, want %d", len(deliveries), updates)
	}
	for _, d := range deliveries {
		if d.StatusCode != http.StatusOK {
			t.Errorf("update %d attempt %d answered %d %s", d.UpdateID, d.Attempt, d.StatusCode, d.Err)
		}
	}
	handled := metricSum(t, a, "caxbot_updates_total", `outcome="ok"`) + metricSum(t, b, "caxbot_updates_total", `outcome="ok"`)
	if int(handled) != len(deliveries) {
		t.Errorf("replicas handled %v updates, %d delivered", handled, len(deliveries))
	}
	for _, p := range []*process{a, b} {
		if metricSum(t, p, "caxbot_updates_total") == 0 {
			t.Errorf("replica %s handled nothing", p.listen)
		}
		if metricSum(t, p, "caxbot_update_duration_seconds_count") == 0 {
			t.Errorf("replica %s: no latency observed", p.listen)
		}
	}
	// The outbox drains: the answers went inline, and what the replicas
	// queued at start (the users' command menus) is sent by their senders
	// at their next poll.
	due := func() float64 { return metricSum(t, a, "caxbot_outbox_pending", `state="due"`) }
	if err := poll(ctx, func() bool { return due() == 0 }); err != nil {
		t.Errorf("outbox due = %v, want 0: %v", due(), err)
	}
	for _, p := range []*process{a, b} {
		p.cmd.Process.Signal(syscall.SIGTERM)
		<-p.exited
		if p.err != nil {
			t.Errorf("replica %s: %v", p.listen, p.err)
		}
	}
}
