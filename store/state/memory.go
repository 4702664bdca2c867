package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// sweepEvery is how much clock time may pass between two sweeps of
// expired entries. Lazy expiry alone would keep keys nobody asks about
// again (a finished chat, an old update id) forever.
const sweepEvery = time.Minute

// errClosed is returned by every Memory call after Close.
var errClosed = errors.New("state: memory state is closed")

// Memory is the in-process State for a single machine. Its clock is
// injected so that tests and the demo can move time; every expiry follows
// that clock. It is safe for concurrent use.
type Memory struct {
	clock func() time.Time

	mu        sync.Mutex
	closed    bool
	lastSweep time.Time
	convs     map[string]conversation
	// claims holds the conversations Begin claims (data "1"), apart and
	// as bare expiry times: a webhook claims every update id for its
	// dedup window, so they are most of the entries on a busy machine.
	claims  map[string]int64
	leases  map[string]lease
	buckets map[string]bucket
	floods  map[string]flood
}

// Expiry times are kept as Unix nanoseconds of the clock: a webhook
// claims every update id for its dedup window, so conversations run to a
// hundred thousand entries on a busy machine, and each byte counts.
type conversation struct {
	data    []byte
	expires int64
}

type lease struct {
	holder  string
	expires time.Time
}

type bucket struct {
	tokens float64
	last   time.Time // when tokens was last brought up to date
	full   time.Time // from then on the bucket is full, as good as absent
}

type flood struct {
	events  []int64 // allowed events, oldest first, Unix nanoseconds
	expires int64   // the last allowed event leaves the window
}

// claimed is the data a claim (Begin) reads as: shared, as data is never
// changed in place.
var claimed = []byte{'1'}

var _ State = (*Memory)(nil)

// NewMemory returns an empty in-process State that reads time from clock.
func NewMemory(clock func() time.Time) *Memory {
	return &Memory{
		clock:     clock,
		lastSweep: clock(),
		convs:     make(map[string]conversation),
		claims:    make(map[string]int64),
		leases:    make(map[string]lease),
		buckets:   make(map[string]bucket),
		floods:    make(map[string]flood),
	}
}

// lock takes the mutex, reads the clock and sweeps if one is due. The
// caller must unlock.
func (m *Memory) lock() (time.Time, error) {
	m.mu.Lock()
	if m.closed {
		return time.Time{}, errClosed
	}
	now := m.clock()
	if now.Sub(m.lastSweep) >= sweepEvery {
		m.sweep(now)
		m.lastSweep = now
	}
	return now, nil
}

func (m *Memory) sweep(now time.Time) {
	for k, c := range m.convs {
		if now.UnixNano() >= c.expires {
			delete(m.convs, k)
		}
	}
	for k, expires := range m.claims {
		if now.UnixNano() >= expires {
			delete(m.claims, k)
		}
	}
	for k, l := range m.leases {
		if !now.Before(l.expires) {
			delete(m.leases, k)
		}
	}
	for k, b := range m.buckets {
		if !now.Before(b.full) {
			delete(m.buckets, k)
		}
	}
	for k, f := range m.floods {
		if now.UnixNano() >= f.expires {
			delete(m.floods, k)
		}
	}
}

// GetConversation implements State.
func (m *Memory) GetConversation(ctx context.Context, key string) ([]byte, bool, error) {
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return nil, false, fmt.Errorf("state: get conversation %q: %w", key, err)
	}
	c, ok := m.liveConversation(key, now)
	if !ok {
		return nil, false, nil
	}
	return bytes.Clone(c.data), true, nil
}

// liveConversation returns the conversation stored under key, a claim
// included, unless it expired.
func (m *Memory) liveConversation(key string, now time.Time) (conversation, bool) {
	if expires, ok := m.claims[key]; ok {
		if now.UnixNano() >= expires {
			delete(m.claims, key)
			return conversation{}, false
		}
		return conversation{data: claimed, expires: expires}, true
	}
	c, ok := m.convs[key]
	if ok && now.UnixNano() >= c.expires {
		delete(m.convs, key)
		return conversation{}, false
	}
	return c, ok
}

// setConversation stores a conversation under key, in place of a claim.
func (m *Memory) setConversation(key string, c conversation) {
	delete(m.claims, key)
	m.convs[key] = c
}

// PutConversation implements State.
func (m *Memory) PutConversation(ctx context.Context, key string, data []byte, ttl time.Duration) error {
	if err := checkTTL(ttl); err != nil {
		return fmt.Errorf("state: put conversation %q: %w", key, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return fmt.Errorf("state: put conversation %q: %w", key, err)
	}
	m.setConversation(key, conversation{data: cloneValue(data), expires: now.Add(ttl).UnixNano()})
	return nil
}

// SwapConversation implements State.
func (m *Memory) SwapConversation(ctx context.Context, key string, prev, next []byte, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("state: swap conversation %q: %w", key, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("state: swap conversation %q: %w", key, err)
	}
	c, ok := m.liveConversation(key, now)
	if ok != (prev != nil) || !bytes.Equal(c.data, prev) {
		return false, nil
	}
	m.setConversation(key, conversation{data: cloneValue(next), expires: now.Add(ttl).UnixNano()})
	return true, nil
}

// cloneValue copies data so that the caller may reuse its slice, and
// stores nil as empty, as Redis does.
func cloneValue(data []byte) []byte {
	return append([]byte{}, data...)
}

// DeleteConversation implements State.
func (m *Memory) DeleteConversation(ctx context.Context, key string) error {
	_, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return fmt.Errorf("state: delete conversation %q: %w", key, err)
	}
	delete(m.convs, key)
	delete(m.claims, key)
	return nil
}

// AcquireLease implements State.
func (m *Memory) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("state: acquire lease %q: %w", name, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("state: acquire lease %q: %w", name, err)
	}
	if _, held := m.liveLease(name, now); held {
		return false, nil
	}
	m.leases[name] = lease{holder: holder, expires: now.Add(ttl)}
	return true, nil
}

func (m *Memory) liveLease(name string, now time.Time) (lease, bool) {
	l, ok := m.leases[name]
	if ok && !now.Before(l.expires) {
		delete(m.leases, name)
		return lease{}, false
	}
	return l, ok
}

// RenewLease implements State.
func (m *Memory) RenewLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("state: renew lease %q: %w", name, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("state: renew lease %q: %w", name, err)
	}
	if l, held := m.liveLease(name, now); !held || l.holder != holder {
		return false, nil
	}
	m.leases[name] = lease{holder: holder, expires: now.Add(ttl)}
	return true, nil
}

// ReleaseLease implements State.
func (m *Memory) ReleaseLease(ctx context.Context, name, holder string) error {
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return fmt.Errorf("state: release lease %q: %w", name, err)
	}
	if l, held := m.liveLease(name, now); !held || l.holder != holder {
		return fmt.Errorf("state: release lease %q: %w", name, ErrLeaseNotHeld)
	}
	delete(m.leases, name)
	return nil
}

// Take implements State. It keeps the same arithmetic as the Redis script.
func (m *Memory) Take(ctx context.Context, name string, rate float64, burst int) (bool, time.Duration, error) {
	if err := checkBucket(rate, burst); err != nil {
		return false, 0, fmt.Errorf("state: take from bucket %q: %w", name, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return false, 0, fmt.Errorf("state: take from bucket %q: %w", name, err)
	}
	capacity := float64(burst)
	b, ok := m.buckets[name]
	if !ok {
		b = bucket{tokens: capacity, last: now}
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += elapsed.Seconds() * rate
		b.last = now
	}
	// A bucket asked with a smaller burst than before is cut down too.
	b.tokens = math.Min(b.tokens, capacity)

	var wait time.Duration
	taken := b.tokens >= 1
	if taken {
		b.tokens--
	} else {
		// One nanosecond more absorbs float rounding, so that a caller
		// who waits exactly wait finds a whole token.
		wait = time.Duration(math.Ceil((1-b.tokens)/rate*float64(time.Second))) + 1
	}
	b.full = now.Add(time.Duration(math.Ceil((capacity - b.tokens) / rate * float64(time.Second))))
	m.buckets[name] = b
	return taken, wait, nil
}

// Flood implements State.
func (m *Memory) Flood(ctx context.Context, userKey string, limit int, window time.Duration) (bool, error) {
	if err := checkFlood(limit, window); err != nil {
		return false, fmt.Errorf("state: flood %q: %w", userKey, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return false, fmt.Errorf("state: flood %q: %w", userKey, err)
	}
	return m.flood(userKey, limit, window, now), nil
}

// Begin implements State.
func (m *Memory) Begin(ctx context.Context, b Begin) (Begun, error) {
	if err := checkBegin(b); err != nil {
		return Begun{}, fmt.Errorf("state: begin %q: %w", b.Conversation, err)
	}
	now, err := m.lock()
	defer m.mu.Unlock()
	if err != nil {
		return Begun{}, fmt.Errorf("state: begin %q: %w", b.Conversation, err)
	}
	if b.Claim != "" {
		if c, held := m.liveConversation(b.Claim, now); held {
			return Begun{Held: bytes.Clone(c.data)}, nil
		}
		delete(m.convs, b.Claim)
		m.claims[b.Claim] = now.Add(b.ClaimTTL).UnixNano()
	}
	if b.Flood != "" && !m.flood(b.Flood, b.FloodLimit, b.FloodWindow, now) {
		return Begun{Claimed: true}, nil
	}
	out := Begun{Claimed: true, Allowed: true}
	if b.Conversation != "" {
		if c, ok := m.liveConversation(b.Conversation, now); ok {
			out.Data, out.Found = bytes.Clone(c.data), true
		}
	}
	return out, nil
}

// flood records one event of userKey at now if the limit allows it. The
// caller holds the mutex.
func (m *Memory) flood(userKey string, limit int, window time.Duration, now time.Time) bool {
	f := m.floods[userKey]
	start := now.Add(-window).UnixNano()
	drop := 0
	for drop < len(f.events) && f.events[drop] <= start {
		drop++
	}
	// Shift rather than reslice, so that the slice does not creep along
	// its array and reallocate on every append.
	f.events = f.events[:copy(f.events, f.events[drop:])]
	allowed := len(f.events) < limit
	if allowed {
		f.events = append(f.events, now.UnixNano())
		f.expires = now.Add(window).UnixNano()
	}
	m.floods[userKey] = f
	return allowed
}

// Close implements State: it drops everything and refuses later calls.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.convs, m.claims, m.leases, m.buckets, m.floods = nil, nil, nil, nil, nil
	return nil
}
