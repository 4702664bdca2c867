package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/caxbot/caxbot/store"
)

// benchUser is one registered user of the run and the words they use for
// their own place and those in it.
type benchUser struct {
	id       int64
	role     store.Role
	commune  string   // commune users: their commune's name
	district string   // district users: their district's name
	places   []string // names of communes (district users) or districts (province users) in scope
}

// serveLoopback serves h on a free loopback port until the returned
// function is called.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("bench: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// loadSpec is one round of a phase: it ends after updates are sent or
// duration has passed, whichever comes first.
type loadSpec struct {
	updates  int64
	duration time.Duration
}

// Kinds of update in the mix, in percent: 60 questions, 30 steps of
// report conversations, 10 commands.
const (
	mixQuestion = iota
	mixReport
	mixCommand
)

// newLoad makes the concurrent clients of a phase, each speaking for its
// share of the users, so the updates of one chat go one after the other as
// a person's do. They keep their users' report conversations from one
// round to the next.
func newLoad(clients int, people []benchUser, api *fakeAPI, ids *atomic.Int64, useButtons bool) []*loadClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2 * clients
	tr.MaxIdleConnsPerHost = 2 * clients
	hc := &http.Client{Transport: tr, Timeout: time.Minute}
	var out []*loadClient
	for c := range clients {
		cl := &loadClient{hc: hc, api: api, ids: ids, useButtons: useButtons,
			rng: mrand.New(mrand.NewPCG(uint64(c), 42)), inReport: map[int64]reportSteps{}}
		for i := c; i < len(people); i += clients {
			cl.users = append(cl.users, &people[i])
		}
		if len(cl.users) > 0 {
			out = append(out, cl)
		}
	}
	return out
}

// runLoad fires updates at hookURL from the clients until spec's round
// ends, and measures the round's CPU time with cpu. A report
// conversation goes on from the buttons of the bot's last message to that
// chat.
func runLoad(ctx context.Context, hookURL string, clients []*loadClient, spec loadSpec, cpu *cpuMeter) benchResult {
	runtime.GC()
	debug.FreeOSMemory()
	cpuBefore := cpu.read(ctx)
	allocsBefore := heapAllocs()
	peak := make(chan uint64)
	stopSampling := make(chan struct{})
	go samplePeak(stopSampling, peak)

	var budget atomic.Int64
	budget.Store(spec.updates)
	deadline := time.Now().Add(spec.duration)
	results := make([]benchResult, len(clients))
	var wg sync.WaitGroup
	start := time.Now()
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl.url, cl.res = hookURL, benchResult{}
			for budget.Add(-1) >= 0 && time.Now().Before(deadline) && ctx.Err() == nil {
				cl.step(ctx)
			}
			results[i] = cl.res
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopSampling)

	round := benchResult{elapsed: elapsed, peakBytes: <-peak, cpu: cpu.read(ctx).sub(cpuBefore), allocs: heapAllocs().sub(allocsBefore)}
	for _, r := range results {
		round.add(r)
	}
	return round
}

// warmUp has every user of the clients ask one question at hookURL, the
// clients at once.
func warmUp(ctx context.Context, hookURL string, clients []*loadClient) {
	var wg sync.WaitGroup
	for _, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl.url = hookURL
			for _, u := range cl.users {
				cl.send(ctx, cl.message(u, cl.question(u)))
			}
			cl.res = benchResult{}
		}()
	}
	wg.Wait()
}

// allocated is what the heap has handed out: bytes and objects.
type allocated struct{ bytes, objects uint64 }

func (a allocated) sub(b allocated) allocated {
	return allocated{bytes: a.bytes - b.bytes, objects: a.objects - b.objects}
}

// heapAllocs is what the heap has handed out since the process started:
// a phase's share of it, per update, does not move with the machine's
// load, and every allocation costs the collector work later.
func heapAllocs() allocated {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}, {Name: "/gc/heap/allocs:objects"}}
	metrics.Read(s)
	return allocated{bytes: s[0].Value.Uint64(), objects: s[1].Value.Uint64()}
}

// heldMemory is what the Go runtime holds from the operating system now:
// all mapped memory less the heap returned to the system.
func heldMemory() uint64 {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(samples)
	return samples[0].Value.Uint64() - samples[1].Value.Uint64()
}

// liveHeap is the heap the last garbage collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleLive reports the largest live heap seen, every 10 ms until stop
// is closed.
func sampleLive(stop <-chan struct{}, out chan<- uint64) {
	var peak uint64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		peak = max(peak, liveHeap())
		select {
		case <-stop:
			out <- peak
			return
		case <-tick.C:
		}
	}
}

// samplePeak reports the most memory the Go runtime held from the
// operating system (runtime/metrics: all mapped memory less the heap
// returned to the system), sampled every 10 ms until stop is closed.
func samplePeak(stop <-chan struct{}, out chan<- uint64) {
	var peak uint64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		peak = max(peak, heldMemory())
		select {
		case <-stop:
			out <- peak
			return
		case <-tick.C:
		}
	}
}

// loadClient is one concurrent sender of updates and the users it speaks
// for.
type loadClient struct {
	hc         *http.Client
	url        string
	api        *fakeAPI
	ids        *atomic.Int64
	useButtons bool
	rng        *mrand.Rand
	users      []*benchUser
	next       int                   // the next user to speak, round robin
	inReport   map[int64]reportSteps // users in a report conversation
	reporting  []*benchUser
	res        benchResult
}

// step sends one update of the mix.
func (c *loadClient) step(ctx context.Context) {
	kind := mixCommand
	switch n := c.rng.IntN(100); {
	case n < 60:
		kind = mixQuestion
	case n < 90:
		kind = mixReport
	}
	c.res.mix[kind]++
	if kind == mixReport {
		c.reportStep(ctx)
		return
	}
	u := c.idleUser()
	if kind == mixCommand {
		c.send(ctx, c.message(u, []string{"/moc", "/tiendo", "/trogiup"}[c.rng.IntN(3)]))
		return
	}
	c.send(ctx, c.message(u, c.question(u)))
}

// idleUser is the next user not in the middle of a report.
func (c *loadClient) idleUser() *benchUser {
	for range c.users {
		u := c.users[c.next%len(c.users)]
		c.next++
		if _, busy := c.inReport[u.id]; !busy {
			return u
		}
	}
	return c.users[0]
}

// question is a free question, or /thieu, about the user's own scope, in
// the words people type: often without diacritics.
func (c *loadClient) question(u *benchUser) string {
	pick := func(names []string) string { return names[c.rng.IntN(len(names))] }
	var q string
	switch n := c.rng.IntN(4); {
	case n == 0:
		q = "/thieu"
	case u.role == store.RoleCommune && n == 1:
		q = "xã " + u.commune + " có trưởng chính quy chưa"
	case u.role == store.RoleCommune:
		q = "còn thiếu phó trưởng công an không"
	case u.role == store.RoleDistrict && n == 1:
		q = strings.ToLower(u.district) + " còn bao nhiêu xã chưa có trưởng công an chính quy"
	case u.role == store.RoleDistrict:
		q = "xã " + pick(u.places) + " có trưởng chính quy chưa"
	case n == 1:
		q = "tiến độ toàn tỉnh"
	default:
		q = strings.ToLower(pick(u.places)) + " còn bao nhiêu xã chưa có trưởng công an chính quy"
	}
	if c.rng.IntN(2) == 0 {
		q = plain(q)
	}
	return q
}

// plain strips Vietnamese diacritics: "Lạc Sơn" → "Lac Son".
func plain(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			sb.WriteRune('d')
		case r == 'Đ':
			sb.WriteRune('D')
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// reportStep starts a report conversation, or takes the next step of one
// by pressing a button of the bot's last message to the chat; commune
// staff sometimes report in one line instead.
func (c *loadClient) reportStep(ctx context.Context) {
	if len(c.reporting) > 0 && (c.rng.IntN(4) != 0 || len(c.reporting) >= len(c.users)/2) {
		u := c.reporting[0]
		kb, msgID := c.api.keyboard(u.id)
		st := c.inReport[u.id]
		var choices []string
		switch {
		case len(kb) > 1: // the last row is Cancel
			for _, row := range kb[:len(kb)-1] {
				choices = append(choices, row...)
			}
		case len(kb) == 1 && st.typed:
			// A one-row keyboard after what the person typed: the decision
			// step's "Đã gửi đủ" (or Cancel, the name refused), pressed
			// rather than typed at again.
			choices = kb[0]
		}
		st.typed = len(choices) == 0
		if st.typed {
			// The step asks for the holder's name, or for the decision,
			// whose note this is then.
			c.send(ctx, c.message(u, "Nguyễn Văn Hải"))
		} else {
			c.send(ctx, c.callback(u, msgID, choices[c.rng.IntN(len(choices))]))
		}
		st.steps++
		c.inReport[u.id] = st
		c.afterReportStep(u)
		return
	}
	u := c.idleUser()
	if u.role == store.RoleCommune && c.rng.IntN(3) == 0 {
		c.send(ctx, c.message(u, "/baocao truong chinh quy Nguyen Van A"))
		return
	}
	c.send(ctx, c.message(u, "/baocao"))
	c.inReport[u.id] = reportSteps{}
	c.reporting = append(c.reporting, u)
	c.afterReportStep(u)
}

// reportSteps is where a user is in a report conversation.
type reportSteps struct {
	steps int  // updates sent in it
	typed bool // the last was text, not a button
}

// afterReportStep ends the user's conversation when the bot's last
// message has no buttons left, or after more steps than any report takes.
func (c *loadClient) afterReportStep(u *benchUser) {
	kb, _ := c.api.keyboard(u.id)
	if c.useButtons && len(kb) > 0 && c.inReport[u.id].steps < 10 {
		return
	}
	delete(c.inReport, u.id)
	c.reporting = slices.DeleteFunc(c.reporting, func(x *benchUser) bool { return x == u })
}

// The JSON of the updates the load generator sends: only the fields a
// Bot API server fills for a private chat.
type (
	benchUpdate struct {
		UpdateID      int64          `json:"update_id"`
		Message       *benchMessage  `json:"message,omitempty"`
		CallbackQuery *benchCallback `json:"callback_query,omitempty"`
	}
	benchMessage struct {
		MessageID int           `json:"message_id"`
		Date      int64         `json:"date"`
		Chat      benchChat     `json:"chat"`
		From      *benchFrom    `json:"from,omitempty"`
		Text      string        `json:"text,omitempty"`
		Entities  []benchEntity `json:"entities,omitempty"`
	}
	benchCallback struct {
		ID           string       `json:"id"`
		From         benchFrom    `json:"from"`
		Message      benchMessage `json:"message"`
		ChatInstance string       `json:"chat_instance"`
		Data         string       `json:"data"`
	}
	benchChat struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	}
	benchFrom struct {
		ID           int64  `json:"id"`
		IsBot        bool   `json:"is_bot"`
		FirstName    string `json:"first_name"`
		LanguageCode string `json:"language_code"`
	}
	benchEntity struct {
		Type   string `json:"type"`
		Offset int    `json:"offset"`
		Length int    `json:"length"`
	}
)

func (c *loadClient) message(u *benchUser, text string) benchUpdate {
	id := c.ids.Add(1)
	from := benchFrom{ID: u.id, FirstName: "Cán bộ", LanguageCode: "vi"}
	msg := &benchMessage{MessageID: int(id), Date: time.Now().Unix(), Chat: benchChat{ID: u.id, Type: "private"}, From: &from, Text: text}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		msg.Entities = []benchEntity{{Type: "bot_command", Length: len(cmd)}}
	}
	return benchUpdate{UpdateID: id, Message: msg}
}

func (c *loadClient) callback(u *benchUser, msgID int, data string) benchUpdate {
	id := c.ids.Add(1)
	from := benchFrom{ID: u.id, FirstName: "Cán bộ", LanguageCode: "vi"}
	return benchUpdate{UpdateID: id, CallbackQuery: &benchCallback{
		ID: "cb" + strconv.FormatInt(id, 10), From: from, ChatInstance: strconv.FormatInt(u.id, 10), Data: data,
		Message: benchMessage{MessageID: msgID, Date: time.Now().Unix(), Chat: benchChat{ID: u.id, Type: "private"}},
	}}
}

// send posts one update to the webhook and times it to the answer.
func (c *loadClient) send(ctx context.Context, upd benchUpdate) {
	body, err := json.Marshal(upd)
	if err != nil {
		c.res.failed++
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(string(body)))
	if err != nil {
		c.res.failed++
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", benchSecret)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.res.failed++
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil || resp.StatusCode != http.StatusOK {
		c.res.failed++
		return
	}
	if len(answer) > 0 {
		c.api.performAnswer(answer)
	}
	c.res.handled++
	c.res.latencies = append(c.res.latencies, took)
}
