package state

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisURL returns the server the Redis tests use, skipping the test when
// there is none unless CAXBOT_REQUIRE_SERVICES=1.
func redisURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("CAXBOT_TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("CAXBOT_REQUIRE_SERVICES") == "1" {
			tb.Fatal("CAXBOT_TEST_REDIS_URL is not set and CAXBOT_REQUIRE_SERVICES=1")
		}
		tb.Skip("CAXBOT_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0): skipping Redis tests")
	}
	return u
}

// testPrefix returns a key prefix no other test, here or in another
// engineer's run on the same server, uses. It holds no glob characters,
// so that it can be matched with SCAN.
func testPrefix(tb testing.TB) string {
	tb.Helper()
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, tb.Name())
	random := make([]byte, 6)
	_, _ = rand.Read(random)
	return "caxbot-test:" + name + ":" + hex.EncodeToString(random) + ":"
}

// checkAndRemoveKeys, run at cleanup, fails the test if a key under
// prefix has no expiry (it would live forever) and deletes them all.
func checkAndRemoveKeys(tb testing.TB, url, prefix string) {
	tb.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatal(err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	// The test's context is already cancelled during cleanup.
	ctx := context.Background()
	iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		ttl, err := client.PTTL(ctx, key).Result()
		if err != nil {
			tb.Error(err)
		} else if ttl < 0 && ttl != -2*time.Nanosecond { // -2: expired meanwhile
			tb.Errorf("key %q has no expiry", key)
		}
		if err := client.Del(ctx, key).Err(); err != nil {
			tb.Error(err)
		}
	}
	if err := iter.Err(); err != nil {
		tb.Error(err)
	}
}

// openTestRedis connects to the test server under prefix; the State is
// closed and the prefix's keys checked and removed when tb ends.
func openTestRedis(tb testing.TB, prefix string) *Redis {
	tb.Helper()
	url := redisURL(tb)
	tb.Cleanup(func() { checkAndRemoveKeys(tb, url, prefix) })
	r, err := OpenRedis(tb.Context(), url, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = r.Close() })
	return r
}

// realClock is the test clock for Redis, which expires keys by its own
// time: advancing means waiting.
type realClock struct{}

func (realClock) Now() time.Time          { return time.Now() }
func (realClock) Advance(d time.Duration) { time.Sleep(d) }

func TestRedisContract(t *testing.T) {
	redisURL(t)
	runContract(t, backend{
		open: func(t *testing.T) (State, testClock) {
			return openTestRedis(t, testPrefix(t)), realClock{}
		},
		short: 100 * time.Millisecond,
	})
}

// Two *Redis values with the same prefix stand for two replicas of the
// bot: each must see what the other did.
func TestRedisReplicasShareState(t *testing.T) {
	ctx := t.Context()
	prefix := testPrefix(t)
	a, b := openTestRedis(t, prefix), openTestRedis(t, prefix)

	expectBool(t, "a acquires", true)(a.AcquireLease(ctx, "digest:weekly", "replica-a", long))
	expectBool(t, "b acquires", false)(b.AcquireLease(ctx, "digest:weekly", "replica-b", long))
	expectBool(t, "b renews", false)(b.RenewLease(ctx, "digest:weekly", "replica-b", long))
	if err := b.ReleaseLease(ctx, "digest:weekly", "replica-b"); !errors.Is(err, ErrLeaseNotHeld) {
		t.Fatalf("b releases a's lease: %v, want ErrLeaseNotHeld", err)
	}
	if err := a.ReleaseLease(ctx, "digest:weekly", "replica-a"); err != nil {
		t.Fatal(err)
	}
	expectBool(t, "b acquires after a released", true)(b.AcquireLease(ctx, "digest:weekly", "replica-b", long))

	const rate = 1.0 / 3600
	for range 2 {
		if ok, _, err := a.Take(ctx, "send:all", rate, 2); err != nil || !ok {
			t.Fatalf("a takes: %v, %v", ok, err)
		}
	}
	if ok, _, err := b.Take(ctx, "send:all", rate, 2); err != nil || ok {
		t.Fatalf("b takes from the bucket a emptied: %v, %v; want refused", ok, err)
	}

	mustPut(t, a, "chat:1", "step1", long)
	expectBool(t, "b swaps a's step", true)(b.SwapConversation(ctx, "chat:1", []byte("step1"), []byte("step2"), long))
	expectBool(t, "a swaps its stale step", false)(a.SwapConversation(ctx, "chat:1", []byte("step1"), []byte("step2"), long))

	expectBool(t, "a floods", true)(a.Flood(ctx, "user:1", 1, long))
	expectBool(t, "b floods", false)(b.Flood(ctx, "user:1", 1, long))
}

func TestRedisPrefixesDoNotMix(t *testing.T) {
	ctx := t.Context()
	a, b := openTestRedis(t, testPrefix(t)), openTestRedis(t, testPrefix(t))
	expectBool(t, "a acquires", true)(a.AcquireLease(ctx, "digest:weekly", "replica-a", long))
	expectBool(t, "b acquires under its own prefix", true)(b.AcquireLease(ctx, "digest:weekly", "replica-b", long))
	mustPut(t, a, "chat:1", "step1", long)
	if _, ok, err := b.GetConversation(ctx, "chat:1"); err != nil || ok {
		t.Fatalf("b reads a's conversation: %v, %v; want absent", ok, err)
	}
}

func TestOpenRedisErrors(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string
	}{
		{name: "wrong scheme", url: "http://127.0.0.1:6379/0", want: "state: parse redis URL"},
		{name: "bad port", url: "redis://caxbot:s3cret@127.0.0.1:port/0", want: "state: parse redis URL"},
		{name: "nobody listening", url: "redis://caxbot:s3cret@127.0.0.1:1/0", want: "state: ping redis at 127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := OpenRedis(t.Context(), tt.url, "caxbot:")
			if err == nil {
				_ = r.Close()
				t.Fatal("OpenRedis succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// roundTrips counts the round trips a client makes and the commands in
// them.
type roundTrips struct {
	mu             sync.Mutex
	trips, nCmds   int
	largestCommand int
}

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.add([]redis.Cmder{cmd})
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.add(cmds)
		return next(ctx, cmds)
	}
}

// add counts the State's commands, not those that set up a connection.
func (h *roundTrips) add(cmds []redis.Cmder) {
	n := 0
	for _, c := range cmds {
		switch c.Name() {
		case "get", "set", "evalsha":
			n++
		}
	}
	if n == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.trips++
	h.nCmds += n
	h.largestCommand = max(h.largestCommand, n)
}

// TestRedisCallsShareRoundTrips: calls made at once by many goroutines
// (a bot's workers) go to the server several to a round trip, and each
// gets its own answer.
func TestRedisCallsShareRoundTrips(t *testing.T) {
	opts, err := redis.ParseURL(redisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.ContextTimeoutEnabled = true
	client := redis.NewClient(opts)
	trips := &roundTrips{}
	client.AddHook(trips)
	prefix := testPrefix(t)
	t.Cleanup(func() { checkAndRemoveKeys(t, redisURL(t), prefix) })
	st := NewRedis(client, prefix)
	t.Cleanup(func() { _ = st.Close() })

	const workers, each = 32, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			for i := range each {
				key, value := fmt.Sprintf("chat:%d:%d", w, i), fmt.Sprintf("bước %d của %d", i, w)
				if err := st.PutConversation(ctx, key, []byte(value), time.Minute); err != nil {
					errs <- err
					return
				}
				got, ok, err := st.GetConversation(ctx, key)
				if err != nil || !ok || string(got) != value {
					errs <- fmt.Errorf("%s: got %q, %v, %v; want %q", key, got, ok, err, value)
					return
				}
				began, err := st.Begin(ctx, Begin{Claim: fmt.Sprintf("upd:%d:%d", w, i), ClaimTTL: time.Minute, Conversation: key})
				if err != nil || !began.Claimed || !began.Found || string(began.Data) != value {
					errs <- fmt.Errorf("begin %s: %+v, %v", key, began, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	trips.mu.Lock()
	defer trips.mu.Unlock()
	if trips.nCmds != 3*workers*each {
		t.Errorf("%d commands sent, want %d", trips.nCmds, 3*workers*each)
	}
	if trips.trips >= trips.nCmds || trips.largestCommand < 2 {
		t.Errorf("%d commands in %d round trips, at most %d in one: none shared a round trip", trips.nCmds, trips.trips, trips.largestCommand)
	}
	t.Logf("%d commands in %d round trips, at most %d in one", trips.nCmds, trips.trips, trips.largestCommand)
}

// TestRedisScriptsAfterFlush: a server that lost its scripts (restarted,
// or SCRIPT FLUSH) is sent their text, and every call that runs one works.
func TestRedisScriptsAfterFlush(t *testing.T) {
	st := openTestRedis(t, testPrefix(t))
	ctx := t.Context()
	flush := func() {
		t.Helper()
		if err := st.client.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
	}
	flush()
	mustPut(t, st, "chat:1", "a", time.Minute)
	expectBool(t, "swap after a flush", true)(st.SwapConversation(ctx, "chat:1", []byte("a"), []byte("b"), time.Minute))
	flush()
	got, err := st.Begin(ctx, Begin{Claim: "upd:1", ClaimTTL: time.Minute, Flood: "user:1", FloodLimit: 5, FloodWindow: time.Minute,
		Conversation: "chat:1"})
	if err != nil || !got.Claimed || !got.Allowed || string(got.Data) != "b" {
		t.Errorf("begin after a flush: %+v, %v", got, err)
	}
	flush()
	expectBool(t, "lease after a flush", true)(st.AcquireLease(ctx, "job", "me", time.Minute))
	expectBool(t, "renew after a flush", true)(st.RenewLease(ctx, "job", "me", time.Minute))
	flush()
	if err := st.ReleaseLease(ctx, "job", "me"); err != nil {
		t.Errorf("release after a flush: %v", err)
	}
	flush()
	if ok, _, err := st.Take(ctx, "send:all", 10, 1); err != nil || !ok {
		t.Errorf("take after a flush: %v, %v", ok, err)
	}
	flush()
	expectBool(t, "flood after a flush", true)(st.Flood(ctx, "user:2", 5, time.Minute))
}
