package state

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that only moves when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2020, 3, 1, 7, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newTestMemory(t *testing.T) (*Memory, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	m := NewMemory(clock.Now)
	t.Cleanup(func() { _ = m.Close() })
	return m, clock
}

func TestMemoryContract(t *testing.T) {
	runContract(t, backend{
		open: func(t *testing.T) (State, testClock) {
			return newTestMemory(t)
		},
		short: 10 * time.Minute,
	})
}

// The fake clock lets the memory twin be checked to the nanosecond, which
// the contract cannot ask of Redis.
func TestMemoryExpiresExactlyAtTTL(t *testing.T) {
	ctx := t.Context()
	m, clock := newTestMemory(t)
	const ttl = 10 * time.Minute
	mustPut(t, m, "chat:1", "step1", ttl)
	expectBool(t, "acquire", true)(m.AcquireLease(ctx, "job", "a", ttl))

	clock.Advance(ttl - time.Nanosecond)
	if _, ok, err := m.GetConversation(ctx, "chat:1"); err != nil || !ok {
		t.Fatalf("conversation just before its ttl: %v, %v; want present", ok, err)
	}
	expectBool(t, "acquire just before ttl", false)(m.AcquireLease(ctx, "job", "b", ttl))

	clock.Advance(time.Nanosecond)
	if _, ok, err := m.GetConversation(ctx, "chat:1"); err != nil || ok {
		t.Fatalf("conversation at its ttl: %v, %v; want expired", ok, err)
	}
	expectBool(t, "acquire at ttl", true)(m.AcquireLease(ctx, "job", "b", ttl))
}

func TestMemoryTakeArithmetic(t *testing.T) {
	ctx := t.Context()
	m, clock := newTestMemory(t)
	type step struct {
		advance  time.Duration
		wantOK   bool
		wantWait time.Duration
	}
	// Two tokens a second, burst 3.
	steps := []step{
		{wantOK: true},
		{wantOK: true},
		{wantOK: true},
		{wantOK: false, wantWait: 500 * time.Millisecond},
		{advance: 499 * time.Millisecond, wantOK: false, wantWait: time.Millisecond},
		{advance: time.Millisecond, wantOK: true},
		{wantOK: false, wantWait: 500 * time.Millisecond},
		// An hour idle refills to burst, not beyond.
		{advance: time.Hour, wantOK: true},
		{wantOK: true},
		{wantOK: true},
		{wantOK: false, wantWait: 500 * time.Millisecond},
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		ok, wait, err := m.Take(ctx, "send:all", 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		// Float rounding and the nanosecond added against it may lengthen
		// the wait, never shorten it.
		if ok != s.wantOK || wait < s.wantWait || wait > s.wantWait+time.Microsecond {
			t.Fatalf("step %d: take = %v, %v; want %v, %v", i, ok, wait, s.wantOK, s.wantWait)
		}
	}
}

func TestMemoryFloodSlides(t *testing.T) {
	ctx := t.Context()
	m, clock := newTestMemory(t)
	// Limit 2 per 10 s. Times are seconds from the first event.
	steps := []struct {
		at   int
		want bool
	}{
		{at: 0, want: true},
		{at: 4, want: true},
		{at: 8, want: false},  // 0 and 4 are in (−2, 8]
		{at: 10, want: true},  // 0 left the window; the refusal at 8 never counted
		{at: 13, want: false}, // 4 and 10 are in (3, 13]
		{at: 14, want: true},  // 4 left
	}
	start := clock.Now()
	for _, s := range steps {
		clock.Advance(start.Add(time.Duration(s.at) * time.Second).Sub(clock.Now()))
		expectBool(t, fmt.Sprintf("event at %ds", s.at), s.want)(m.Flood(ctx, "user:1", 2, 10*time.Second))
	}
}

func TestMemorySweepsExpiredEntries(t *testing.T) {
	ctx := t.Context()
	m, clock := newTestMemory(t)
	for i := range 100 {
		key := fmt.Sprint(i)
		mustPut(t, m, "chat:"+key, "step", time.Second)
		expectBool(t, "acquire", true)(m.AcquireLease(ctx, "job:"+key, "a", time.Second))
		expectBool(t, "take", true)(func() (bool, error) {
			ok, _, err := m.Take(ctx, "send:"+key, 1, 1)
			return ok, err
		}())
		expectBool(t, "flood", true)(m.Flood(ctx, "user:"+key, 1, time.Second))
	}
	mustPut(t, m, "chat:kept", "step", 2*sweepEvery)

	// Nobody asks for those keys again; the next call after a sweep period
	// must drop them all the same.
	clock.Advance(sweepEvery)
	if _, ok, err := m.GetConversation(ctx, "chat:kept"); err != nil || !ok {
		t.Fatalf("live conversation: %v, %v; want kept", ok, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	sizes := map[string]int{
		"conversations": len(m.convs), "leases": len(m.leases),
		"buckets": len(m.buckets), "floods": len(m.floods),
	}
	want := map[string]int{"conversations": 1}
	for name, n := range sizes {
		if n != want[name] {
			t.Errorf("%d %s left after the sweep, want %d", n, name, want[name])
		}
	}
}
