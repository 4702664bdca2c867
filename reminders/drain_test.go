package reminders

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

// fakeClock is the drainer's clock: sleeping moves it on at once.
type fakeClock struct {
	now   time.Time
	slept time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.slept += d
	c.now = c.now.Add(d)
	return nil
}

// memLimiter is a token bucket per name on the fake clock, as
// store/state's: full at first, no token taken on a refusal.
type memLimiter struct {
	clock   *fakeClock
	fail    error
	buckets map[string]*tokenBucket
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

func (l *memLimiter) Take(_ context.Context, name string, rate float64, burst int) (bool, time.Duration, error) {
	if l.fail != nil {
		return false, 0, l.fail
	}
	now := l.clock.Now()
	b, ok := l.buckets[name]
	if !ok {
		b = &tokenBucket{tokens: float64(burst), last: now}
		l.buckets[name] = b
	}
	b.tokens = math.Min(float64(burst), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0, nil
	}
	return false, time.Duration(math.Ceil((1 - b.tokens) / rate * float64(time.Second))), nil
}

// fakeOutbox keeps items in memory and writes down what happens to them.
type fakeOutbox struct {
	clock    *fakeClock
	items    []*store.OutboxItem
	leased   map[int64]time.Time
	log      []string
	markErrs []error // the next MarkSent calls' errors, in turn
}

func (o *fakeOutbox) item(id int64) *store.OutboxItem {
	for _, it := range o.items {
		if it.ID == id {
			return it
		}
	}
	panic(fmt.Sprintf("no outbox item %d", id))
}

func (o *fakeOutbox) Claim(_ context.Context, now time.Time, limit int, owner string, leaseFor time.Duration) ([]store.OutboxItem, error) {
	var out []store.OutboxItem
	for _, it := range o.items {
		if len(out) == limit {
			break
		}
		if it.State != store.OutboxPending || it.DueAt.After(now) || it.NextAttempt.After(now) || o.leased[it.ID].After(now) {
			continue
		}
		o.leased[it.ID] = now.Add(leaseFor)
		out = append(out, *it)
	}
	return out, nil
}

func (o *fakeOutbox) MarkSent(_ context.Context, id int64, at time.Time) error {
	if len(o.markErrs) > 0 {
		err := o.markErrs[0]
		o.markErrs = o.markErrs[1:]
		o.log = append(o.log, fmt.Sprintf("not recorded %d", id))
		return err
	}
	it := o.item(id)
	it.State, it.SentAt = store.OutboxSent, &at
	o.log = append(o.log, fmt.Sprintf("sent %d", id))
	return nil
}

func (o *fakeOutbox) MarkGone(_ context.Context, id int64, chatID int64, at time.Time) error {
	o.item(id).State = store.OutboxGone
	o.log = append(o.log, fmt.Sprintf("gone %d chat %d", id, chatID))
	return nil
}

func (o *fakeOutbox) Retry(_ context.Context, id int64, next time.Time, lastErr string) error {
	it := o.item(id)
	it.Attempts++
	it.NextAttempt, it.LastError = next, lastErr
	delete(o.leased, id)
	o.log = append(o.log, fmt.Sprintf("retry %d in %v", id, next.Sub(o.clock.Now())))
	return nil
}

func (o *fakeOutbox) Fail(_ context.Context, id int64, lastErr string) error {
	it := o.item(id)
	it.State, it.LastError = store.OutboxFailed, lastErr
	o.log = append(o.log, fmt.Sprintf("fail %d", id))
	return nil
}

// fakeSender answers each chat with the errors queued for it, then nil,
// and writes down what it sent when.
type fakeSender struct {
	clock *fakeClock
	start time.Time
	errs  map[int64][]error
	sent  []string
	hook  func() // called on each send
}

func (s *fakeSender) Send(_ context.Context, chatID int64, m Message) error {
	if s.hook != nil {
		s.hook()
	}
	if q := s.errs[chatID]; len(q) > 0 {
		s.errs[chatID] = q[1:]
		return q[0]
	}
	s.sent = append(s.sent, fmt.Sprintf("+%v %d %q", s.clock.Now().Sub(s.start), chatID, m.Text))
	return nil
}

type harness struct {
	clock   *fakeClock
	outbox  *fakeOutbox
	sender  *fakeSender
	limiter *memLimiter
	drainer *Drainer
	start   time.Time
}

// newHarness returns a drainer over items, all due at the start.
func newHarness(t *testing.T, items ...store.OutboxItem) *harness {
	t.Helper()
	start := clock(t, "24/03/2020 08:00")
	c := &fakeClock{now: start}
	h := &harness{
		clock:   c,
		outbox:  &fakeOutbox{clock: c, leased: make(map[int64]time.Time)},
		sender:  &fakeSender{clock: c, start: start, errs: make(map[int64][]error)},
		limiter: &memLimiter{clock: c, buckets: make(map[string]*tokenBucket)},
		start:   start,
	}
	for i := range items {
		it := items[i]
		it.ID = int64(i + 1)
		it.State = store.OutboxPending
		it.DueAt, it.NextAttempt = start, start
		h.outbox.items = append(h.outbox.items, &it)
	}
	h.drainer = &Drainer{
		Outbox: h.outbox, Sender: h.sender, Limiter: h.limiter,
		Now: c.Now, Sleep: c.Sleep, Rand: rand.New(rand.NewPCG(1, 2)),
		Owner: "test",
	}
	return h
}

func text(chat int64, s string) store.OutboxItem {
	p, err := MessagePayload(Message{Text: s})
	if err != nil {
		panic(err)
	}
	return store.OutboxItem{ChatID: chat, Kind: "reminder", Payload: p}
}

func TestDrain(t *testing.T) {
	tests := []struct {
		name    string
		items   []store.OutboxItem
		errs    map[int64][]error
		edit    func(h *harness)
		claimed int
		sent    []string
		log     []string
	}{
		{
			name:    "paced per chat",
			items:   []store.OutboxItem{text(1001, "a"), text(1001, "b"), text(-100, "c"), text(-100, "d")},
			claimed: 4,
			sent:    []string{`+0s 1001 "a"`, `+1s 1001 "b"`, `+1s -100 "c"`, `+4s -100 "d"`},
			log:     []string{"sent 1", "sent 2", "sent 3", "sent 4"},
		},
		{
			name:    "throttled: retried after retry_after, and everyone waits",
			items:   []store.OutboxItem{text(1001, "a"), text(1002, "b")},
			errs:    map[int64][]error{1001: {fmt.Errorf("telegram: %w", &ThrottledError{RetryAfter: 5 * time.Second})}},
			claimed: 2,
			sent:    []string{`+5s 1002 "b"`},
			log:     []string{"retry 1 in 5s", "sent 2"},
		},
		{
			name:    "recipient gone",
			items:   []store.OutboxItem{text(1001, "a")},
			errs:    map[int64][]error{1001: {fmt.Errorf("telegram: Forbidden: bot was blocked by the user: %w", ErrRecipientGone)}},
			claimed: 1,
			log:     []string{"gone 1 chat 1001"},
		},
		{
			name:    "rejected",
			items:   []store.OutboxItem{text(1001, "a")},
			errs:    map[int64][]error{1001: {fmt.Errorf("telegram: Bad Request: %w", ErrRejected)}},
			claimed: 1,
			log:     []string{"fail 1"},
		},
		{
			name:    "not a message",
			items:   []store.OutboxItem{{ChatID: 1001, Payload: "{"}},
			claimed: 1,
			log:     []string{"fail 1"},
		},
		{
			name: "transient: retried with backoff until the last attempt",
			items: func() []store.OutboxItem {
				fresh, tired := text(1001, "a"), text(1002, "b")
				tired.Attempts = 2
				return []store.OutboxItem{fresh, tired}
			}(),
			errs: map[int64][]error{
				1001: {errors.New("telegram: 502 Bad Gateway")},
				1002: {errors.New("telegram: 502 Bad Gateway")},
			},
			edit:    func(h *harness) { h.drainer.MaxAttempts = 3 },
			claimed: 2,
			log:     []string{"retry 1 in 26.540599041s", "fail 2"},
		},
		{
			name:    "throttled past the lease: the rest waits for another pass",
			items:   []store.OutboxItem{text(1001, "a"), text(1002, "b")},
			errs:    map[int64][]error{1001: {&ThrottledError{RetryAfter: 5 * time.Minute}}},
			claimed: 1,
			log:     []string{"retry 1 in 5m0s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.items...)
			for chat, errs := range tt.errs {
				h.sender.errs[chat] = errs
			}
			if tt.edit != nil {
				tt.edit(h)
			}
			n, err := h.drainer.Drain(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.claimed {
				t.Errorf("Drain dealt with %d items, want %d", n, tt.claimed)
			}
			if tt.sent != nil && !slices.Equal(h.sender.sent, tt.sent) {
				t.Errorf("sent\n got %q\nwant %q", h.sender.sent, tt.sent)
			}
			if !slices.Equal(h.outbox.log, tt.log) {
				t.Errorf("outbox\n got %q\nwant %q", h.outbox.log, tt.log)
			}
		})
	}
}

func TestDrainLongText(t *testing.T) {
	h := newHarness(t, text(1001, lines(90, 100)))
	if _, err := h.drainer.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(h.sender.sent) != 3 {
		t.Fatalf("sent %d messages, want 3", len(h.sender.sent))
	}
	for i, want := range []string{"+0s 1001 \"000.", "+1s 1001 \"040.", "+2s 1001 \"080."} {
		if !strings.HasPrefix(h.sender.sent[i], want) {
			t.Errorf("message %d starts %.20q, want %q", i, h.sender.sent[i], want)
		}
	}
}

func TestDrainThrottledPastLeaseComesBack(t *testing.T) {
	h := newHarness(t, text(1001, "a"), text(1002, "b"))
	h.sender.errs[1001] = []error{&ThrottledError{RetryAfter: 5 * time.Minute}}
	ctx := context.Background()
	if _, err := h.drainer.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	h.clock.now = h.clock.now.Add(5 * time.Minute)
	if _, err := h.drainer.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"retry 1 in 5m0s", "sent 1", "sent 2"}
	if !slices.Equal(h.outbox.log, want) {
		t.Errorf("outbox %q, want %q", h.outbox.log, want)
	}
}

func TestDrainStopsOnCancel(t *testing.T) {
	h := newHarness(t, text(1001, "a"))
	ctx, cancel := context.WithCancel(context.Background())
	h.sender.hook = cancel
	h.sender.errs[1001] = []error{context.Canceled}
	if _, err := h.drainer.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if len(h.outbox.log) != 0 {
		t.Errorf("outbox %q: an interrupted send must stay leased, unrecorded", h.outbox.log)
	}
}

func TestDrainLimiterDown(t *testing.T) {
	h := newHarness(t, text(1001, "a"))
	h.limiter.fail = errors.New("redis: connection refused")
	_, err := h.drainer.Drain(context.Background())
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("err = %v", err)
	}
	if len(h.sender.sent)+len(h.outbox.log) != 0 {
		t.Errorf("sent %q, outbox %q without a token", h.sender.sent, h.outbox.log)
	}
}

func TestDrainNeedsItsParts(t *testing.T) {
	if _, err := (&Drainer{}).Drain(context.Background()); err == nil {
		t.Error("an empty Drainer drained")
	}
}

// Run goes on while a pass fills a batch and sleeps when one does not.
func TestRun(t *testing.T) {
	h := newHarness(t, text(1001, "a"), text(1002, "b"), text(1003, "c"))
	h.drainer.Batch = 2
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pauses []time.Duration
	h.drainer.Sleep = func(ctx context.Context, d time.Duration) error {
		pauses = append(pauses, d)
		if d == time.Minute {
			cancel()
		}
		return h.clock.Sleep(ctx, d)
	}
	if err := h.drainer.Run(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	if want := []string{"sent 1", "sent 2", "sent 3"}; !slices.Equal(h.outbox.log, want) {
		t.Errorf("outbox %q, want %q", h.outbox.log, want)
	}
	if !slices.Equal(pauses, []time.Duration{time.Minute}) {
		t.Errorf("pauses %v, want one of a minute", pauses)
	}
}

func TestBackoff(t *testing.T) {
	d := &Drainer{Rand: rand.New(rand.NewPCG(7, 7))}
	for attempt := 1; attempt <= 10; attempt++ {
		full := min(30*time.Second<<(attempt-1), time.Hour)
		var waits []time.Duration
		for range 50 {
			w := d.backoff(attempt)
			if w < full/2 || w > full {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, w, full/2, full)
			}
			waits = append(waits, w)
		}
		sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
		if waits[0] == waits[len(waits)-1] {
			t.Errorf("attempt %d: no jitter: %v", attempt, waits[0])
		}
	}
}

// TestSentRecordedThroughBusyStore: a message that went out is recorded
// even when the store refuses the record a few times (SQLite's writer
// busy behind other senders): recorded once, sent once, no error.
func TestSentRecordedThroughBusyStore(t *testing.T) {
	h := newHarness(t, text(1001, "Nhắc mốc"))
	busy := errors.New("begin: database is locked (5) (SQLITE_BUSY)")
	h.outbox.markErrs = []error{busy, busy, busy}
	n, err := h.drainer.Drain(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("Drain = %d, %v; want 1 sent and no error", n, err)
	}
	if want := []string{"not recorded 1", "not recorded 1", "not recorded 1", "sent 1"}; !slices.Equal(h.outbox.log, want) {
		t.Errorf("outbox log %q, want %q", h.outbox.log, want)
	}
	if len(h.sender.sent) != 1 {
		t.Errorf("sent %d times: %q", len(h.sender.sent), h.sender.sent)
	}
}
