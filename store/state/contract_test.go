package state

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClock lets a contract test make time pass for a State: the memory
// twin's fake clock jumps, Redis is waited for in real time.
type testClock interface {
	Now() time.Time
	Advance(d time.Duration)
}

// backend is what the contract needs of one implementation.
type backend struct {
	// open returns a fresh, empty State and the clock it follows. The
	// State is closed and its data removed when t ends.
	open func(t *testing.T) (State, testClock)
	// short is a TTL, window or refill period small enough to wait out
	// with Advance. Checks that something is still there use long.
	short time.Duration
}

// long outlives every test, so "still there" checks never race expiry.
const long = time.Hour

// runContract checks every State method against the behaviour both
// implementations promise.
func runContract(t *testing.T, b backend) {
	t.Run("conversation round trip", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		if _, ok, err := st.GetConversation(ctx, "chat:1"); err != nil || ok {
			t.Fatalf("get before put: ok=%v err=%v, want absent", ok, err)
		}
		data := []byte(`{"step":"chọn xã","commune":"04999"}`)
		if err := st.PutConversation(ctx, "chat:1", data, long); err != nil {
			t.Fatal(err)
		}
		data[0] = 'X' // the State keeps its own copy
		got, ok, err := st.GetConversation(ctx, "chat:1")
		if err != nil || !ok || string(got) != `{"step":"chọn xã","commune":"04999"}` {
			t.Fatalf("get = %q, %v, %v", got, ok, err)
		}
		if _, ok, err := st.GetConversation(ctx, "chat:2"); err != nil || ok {
			t.Fatalf("other key: ok=%v err=%v, want absent", ok, err)
		}
		if err := st.DeleteConversation(ctx, "chat:1"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.GetConversation(ctx, "chat:1"); err != nil || ok {
			t.Fatalf("get after delete: ok=%v err=%v, want absent", ok, err)
		}
		if err := st.DeleteConversation(ctx, "chat:1"); err != nil {
			t.Fatalf("delete absent key: %v", err)
		}
	})

	t.Run("conversation expires", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		mustPut(t, st, "chat:short", "a", b.short)
		mustPut(t, st, "chat:long", "b", long)
		mustPut(t, st, "chat:renewed", "c", b.short)
		mustPut(t, st, "chat:renewed", "d", long) // a put replaces the TTL too
		clock.Advance(2 * b.short)
		if _, ok, err := st.GetConversation(ctx, "chat:short"); err != nil || ok {
			t.Errorf("short-lived conversation: ok=%v err=%v, want expired", ok, err)
		}
		for key, want := range map[string]string{"chat:long": "b", "chat:renewed": "d"} {
			if got, ok, err := st.GetConversation(ctx, key); err != nil || !ok || string(got) != want {
				t.Errorf("%s = %q, %v, %v; want %q", key, got, ok, err, want)
			}
		}
	})

	t.Run("swap conversation", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			name       string
			stored     []byte // nil: nothing stored
			prev, next []byte
			want       bool
		}{
			{name: "absent, expected absent", prev: nil, next: []byte("step1"), want: true},
			{name: "absent, expected a step", prev: []byte("step1"), next: []byte("step2"), want: false},
			{name: "absent, expected empty", prev: []byte{}, next: []byte("step1"), want: false},
			{name: "present, expected absent", stored: []byte("step1"), prev: nil, next: []byte("step1"), want: false},
			{name: "present, expected same step", stored: []byte("step1"), prev: []byte("step1"), next: []byte("step2"), want: true},
			{name: "present, stale button", stored: []byte("step2"), prev: []byte("step1"), next: []byte("step2"), want: false},
			{name: "present empty, expected absent", stored: []byte{}, prev: nil, next: []byte("step1"), want: false},
			{name: "present empty, expected empty", stored: []byte{}, prev: []byte{}, next: []byte("step1"), want: true},
			{name: "present, swapped to empty", stored: []byte("step1"), prev: []byte("step1"), next: nil, want: true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				st, _ := b.open(t)
				if tt.stored != nil {
					mustPut(t, st, "chat:7", string(tt.stored), long)
				}
				got, err := st.SwapConversation(ctx, "chat:7", tt.prev, tt.next, long)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Fatalf("swap = %v, want %v", got, tt.want)
				}
				want, wantOK := tt.stored, tt.stored != nil
				if tt.want {
					want, wantOK = tt.next, true
				}
				data, ok, err := st.GetConversation(ctx, "chat:7")
				if err != nil || ok != wantOK || !bytes.Equal(data, want) {
					t.Fatalf("after swap: %q, %v, %v; want %q, %v", data, ok, err, want, wantOK)
				}
			})
		}
	})

	t.Run("swap treats an expired conversation as absent", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		mustPut(t, st, "chat:8", "step1", b.short)
		clock.Advance(2 * b.short)
		if ok, err := st.SwapConversation(ctx, "chat:8", []byte("step1"), []byte("step2"), long); err != nil || ok {
			t.Fatalf("swap from expired step: %v, %v; want false", ok, err)
		}
		if ok, err := st.SwapConversation(ctx, "chat:8", nil, []byte("start"), long); err != nil || !ok {
			t.Fatalf("swap from absent: %v, %v; want true", ok, err)
		}
	})

	t.Run("double tap advances a conversation once", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		mustPut(t, st, "chat:9", "step1", long)
		wins := concurrently(t, 16, func(int) (bool, error) {
			return st.SwapConversation(ctx, "chat:9", []byte("step1"), []byte("step2"), long)
		})
		if wins != 1 {
			t.Fatalf("%d swaps succeeded, want 1", wins)
		}
	})

	t.Run("lease holder semantics", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		const job = "digest:weekly"
		expectBool(t, "a acquires", true)(st.AcquireLease(ctx, job, "replica-a", long))
		expectBool(t, "b acquires a held lease", false)(st.AcquireLease(ctx, job, "replica-b", long))
		expectBool(t, "a acquires again", false)(st.AcquireLease(ctx, job, "replica-a", long))
		expectBool(t, "b renews", false)(st.RenewLease(ctx, job, "replica-b", long))
		if err := st.ReleaseLease(ctx, job, "replica-b"); !errors.Is(err, ErrLeaseNotHeld) {
			t.Fatalf("b releases a's lease: %v, want ErrLeaseNotHeld", err)
		}
		expectBool(t, "b acquires after its failed release", false)(st.AcquireLease(ctx, job, "replica-b", long))
		expectBool(t, "a renews", true)(st.RenewLease(ctx, job, "replica-a", long))
		if err := st.ReleaseLease(ctx, job, "replica-a"); err != nil {
			t.Fatalf("a releases: %v", err)
		}
		if err := st.ReleaseLease(ctx, job, "replica-a"); !errors.Is(err, ErrLeaseNotHeld) {
			t.Fatalf("a releases twice: %v, want ErrLeaseNotHeld", err)
		}
		expectBool(t, "a renews a released lease", false)(st.RenewLease(ctx, job, "replica-a", long))
		expectBool(t, "b acquires a released lease", true)(st.AcquireLease(ctx, job, "replica-b", long))
		expectBool(t, "another lease is free", true)(st.AcquireLease(ctx, "reminders:due", "replica-a", long))
	})

	t.Run("lease expires unless renewed", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		expectBool(t, "a acquires expiring", true)(st.AcquireLease(ctx, "expiring", "replica-a", b.short))
		expectBool(t, "a acquires renewed", true)(st.AcquireLease(ctx, "renewed", "replica-a", b.short))
		expectBool(t, "a renews", true)(st.RenewLease(ctx, "renewed", "replica-a", long))
		clock.Advance(2 * b.short)
		expectBool(t, "a renews an expired lease", false)(st.RenewLease(ctx, "expiring", "replica-a", long))
		if err := st.ReleaseLease(ctx, "expiring", "replica-a"); !errors.Is(err, ErrLeaseNotHeld) {
			t.Fatalf("a releases an expired lease: %v, want ErrLeaseNotHeld", err)
		}
		expectBool(t, "b acquires the expired lease", true)(st.AcquireLease(ctx, "expiring", "replica-b", long))
		expectBool(t, "b acquires the renewed lease", false)(st.AcquireLease(ctx, "renewed", "replica-b", long))
	})

	t.Run("one of many replicas gets a lease", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		winners := concurrently(t, 16, func(i int) (bool, error) {
			return st.AcquireLease(ctx, "digest:weekly", fmt.Sprintf("replica-%d", i), long)
		})
		if winners != 1 {
			t.Fatalf("%d replicas acquired the lease, want 1", winners)
		}
	})

	t.Run("take empties a full bucket", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		const rate = 1.0 / 3600 // one token an hour: nothing refills during the test
		for i := range 3 {
			ok, wait, err := st.Take(ctx, "send:all", rate, 3)
			if err != nil || !ok || wait != 0 {
				t.Fatalf("take %d: %v, %v, %v; want a token", i+1, ok, wait, err)
			}
		}
		ok, wait, err := st.Take(ctx, "send:all", rate, 3)
		if err != nil || ok {
			t.Fatalf("take from an empty bucket: %v, %v", ok, err)
		}
		if wait <= 0 || wait > time.Hour+time.Millisecond {
			t.Fatalf("wait = %v, want within (0, 1h]", wait)
		}
		if ok, _, err := st.Take(ctx, "send:chat:42", rate, 3); err != nil || !ok {
			t.Fatalf("another bucket: %v, %v; want a token", ok, err)
		}
	})

	t.Run("take with a smaller burst cuts the bucket down", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		const rate = 1.0 / 3600
		if ok, _, err := st.Take(ctx, "send:all", rate, 5); err != nil || !ok {
			t.Fatalf("first take: %v, %v", ok, err)
		}
		for i := range 2 {
			if ok, _, err := st.Take(ctx, "send:all", rate, 2); err != nil || !ok {
				t.Fatalf("take %d with burst 2: %v, %v", i+1, ok, err)
			}
		}
		if ok, _, err := st.Take(ctx, "send:all", rate, 2); err != nil || ok {
			t.Fatalf("third take with burst 2: %v, %v; want refused", ok, err)
		}
	})

	t.Run("waiting the returned wait yields a token", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		rate := 1 / b.short.Seconds()
		var wait time.Duration
		for range 1000 {
			ok, w, err := st.Take(ctx, "send:all", rate, 2)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				wait = w
				break
			}
		}
		if wait <= 0 || wait > b.short+time.Millisecond {
			t.Fatalf("wait = %v, want within (0, %v]", wait, b.short)
		}
		clock.Advance(wait)
		if ok, w, err := st.Take(ctx, "send:all", rate, 2); err != nil || !ok {
			t.Fatalf("after waiting %v: %v, wait %v, %v; want a token", wait, ok, w, err)
		}
	})

	t.Run("concurrent take never grants more than the bucket holds", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		const (
			rate       = 200.0
			burst      = 5
			goroutines = 8
			takesEach  = 20
		)
		var granted atomic.Int64
		start := clock.Now()
		concurrently(t, goroutines, func(int) (bool, error) {
			for range takesEach {
				ok, _, err := st.Take(ctx, "send:all", rate, burst)
				if err != nil {
					return false, err
				}
				if ok {
					granted.Add(1)
				}
				clock.Advance(time.Millisecond)
			}
			return false, nil
		})
		elapsed := clock.Now().Sub(start)
		total := int(granted.Load())
		// The bucket starts full and gains rate tokens a second; the small
		// epsilon keeps float rounding in this bound from failing a
		// correct bucket.
		upper := burst + int(math.Floor(rate*elapsed.Seconds()+1e-9))
		if total < burst || total > upper {
			t.Fatalf("granted %d tokens in %v, want within [%d, %d]", total, elapsed, burst, upper)
		}
		if total == goroutines*takesEach {
			t.Fatalf("every take was granted: the bucket did not limit")
		}
		t.Logf("granted %d of %d takes in %v (bound %d)", total, goroutines*takesEach, elapsed, upper)
	})

	t.Run("flood limit", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		for i := range 3 {
			expectBool(t, fmt.Sprintf("event %d", i+1), true)(st.Flood(ctx, "user:1", 3, long))
		}
		expectBool(t, "event 4", false)(st.Flood(ctx, "user:1", 3, long))
		expectBool(t, "event 5", false)(st.Flood(ctx, "user:1", 3, long))
		expectBool(t, "another user", true)(st.Flood(ctx, "user:2", 3, long))
	})

	t.Run("flood window passes", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		refused := false
		for range 1000 {
			ok, err := st.Flood(ctx, "user:1", 2, b.short)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				refused = true
				break
			}
		}
		if !refused {
			t.Fatal("1000 events never went over a limit of 2")
		}
		clock.Advance(b.short)
		expectBool(t, "after a window", true)(st.Flood(ctx, "user:1", 2, b.short))
	})

	t.Run("begin claims, limits and reads in order", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		mustPut(t, st, "chat:7", "step1", long)
		mustPut(t, st, "chat:8", "", long)
		begin := func(claim, flood, conv string) Begin {
			return Begin{Claim: claim, ClaimTTL: long, Flood: flood, FloodLimit: 2, FloodWindow: long, Conversation: conv}
		}
		steps := []struct {
			name  string
			begin Begin
			want  Begun
		}{
			{"first delivery", begin("upd:1", "user:7", "chat:7"), Begun{Claimed: true, Allowed: true, Data: []byte("step1"), Found: true}},
			{"repeat delivery does nothing else", begin("upd:1", "user:7", "chat:7"), Begun{Held: []byte("1")}},
			{"ended conversation is present and empty", begin("upd:2", "user:7", "chat:8"), Begun{Claimed: true, Allowed: true, Data: []byte{}, Found: true}},
			{"over the limit reads nothing", begin("upd:3", "user:7", "chat:7"), Begun{Claimed: true}},
			{"no conversation", begin("upd:4", "user:9", "chat:9"), Begun{Claimed: true, Allowed: true}},
			{"no claim (long polling)", begin("", "user:9", "chat:7"), Begun{Claimed: true, Allowed: true, Data: []byte("step1"), Found: true}},
			{"claim only", begin("upd:5", "", ""), Begun{Claimed: true, Allowed: true}},
		}
		for _, s := range steps {
			got, err := st.Begin(ctx, s.begin)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got.Claimed != s.want.Claimed || got.Allowed != s.want.Allowed || got.Found != s.want.Found ||
				!bytes.Equal(got.Data, s.want.Data) || (got.Data == nil) != (s.want.Data == nil) || !bytes.Equal(got.Held, s.want.Held) {
				t.Fatalf("%s: got %+v, want %+v", s.name, got, s.want)
			}
		}
		// Begin shares its keys with the single calls: a claim settled by
		// its holder shows what it was swapped for.
		expectBool(t, "swap of a claimed update", false)(st.SwapConversation(ctx, "upd:4", nil, []byte{'1'}, long))
		if data, found, err := st.GetConversation(ctx, "upd:4"); err != nil || !found || string(data) != "1" {
			t.Fatalf("a claim reads %q, %v, %v; want \"1\"", data, found, err)
		}
		expectBool(t, "claim settled", true)(st.SwapConversation(ctx, "upd:4", []byte{'1'}, []byte("done"), long))
		if got, err := st.Begin(ctx, begin("upd:4", "user:9", "")); err != nil || got.Claimed || string(got.Held) != "done" {
			t.Fatalf("begin of a settled claim: %+v, %v; want held %q", got, err, "done")
		}
		expectBool(t, "flood after begin used the limit", false)(st.Flood(ctx, "user:7", 2, long))
		expectBool(t, "refused repeat was not counted", true)(st.Flood(ctx, "user:9", 3, long))
		if err := st.DeleteConversation(ctx, "upd:1"); err != nil {
			t.Fatal(err)
		}
		got, err := st.Begin(ctx, begin("upd:1", "user:10", ""))
		if err != nil || !got.Claimed {
			t.Fatalf("begin after the claim was released: %+v, %v; want claimed", got, err)
		}
	})

	t.Run("concurrent deliveries of one update: one begins", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		firsts := concurrently(t, 16, func(int) (bool, error) {
			got, err := st.Begin(ctx, Begin{Claim: "upd:77", ClaimTTL: long, Flood: "user:77", FloodLimit: 100, FloodWindow: long})
			return got.Claimed, err
		})
		if firsts != 1 {
			t.Fatalf("%d deliveries claimed the update, want 1", firsts)
		}
		expectBool(t, "flood counted once", true)(st.Flood(ctx, "user:77", 2, long))
		expectBool(t, "flood at its limit", false)(st.Flood(ctx, "user:77", 2, long))
	})

	t.Run("flood window passes for begin", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, clock := b.open(t)
		begin := Begin{Flood: "user:1", FloodLimit: 1, FloodWindow: b.short}
		for i, want := range []bool{true, false} {
			got, err := st.Begin(ctx, begin)
			if err != nil || got.Allowed != want {
				t.Fatalf("event %d: %+v, %v; want allowed=%v", i+1, got, err, want)
			}
		}
		clock.Advance(b.short)
		if got, err := st.Begin(ctx, begin); err != nil || !got.Allowed {
			t.Fatalf("after a window: %+v, %v; want allowed", got, err)
		}
	})

	t.Run("invalid arguments", func(t *testing.T) {
		t.Parallel()
		st, _ := b.open(t)
		ctx := t.Context()
		calls := []struct {
			name string
			call func() error
		}{
			{"put with zero ttl", func() error { return st.PutConversation(ctx, "k", []byte("v"), 0) }},
			{"swap with negative ttl", func() error { _, err := st.SwapConversation(ctx, "k", nil, []byte("v"), -time.Second); return err }},
			{"acquire with zero ttl", func() error { _, err := st.AcquireLease(ctx, "l", "h", 0); return err }},
			{"renew with zero ttl", func() error { _, err := st.RenewLease(ctx, "l", "h", 0); return err }},
			{"take at zero rate", func() error { _, _, err := st.Take(ctx, "b", 0, 1); return err }},
			{"take at NaN rate", func() error { _, _, err := st.Take(ctx, "b", math.NaN(), 1); return err }},
			{"take at infinite rate", func() error { _, _, err := st.Take(ctx, "b", math.Inf(1), 1); return err }},
			{"take with zero burst", func() error { _, _, err := st.Take(ctx, "b", 1, 0); return err }},
			{"flood with zero limit", func() error { _, err := st.Flood(ctx, "u", 0, time.Second); return err }},
			{"flood with zero window", func() error { _, err := st.Flood(ctx, "u", 1, 0); return err }},
			{"begin with zero claim ttl", func() error { _, err := st.Begin(ctx, Begin{Claim: "k"}); return err }},
			{"begin with zero flood limit", func() error { _, err := st.Begin(ctx, Begin{Flood: "u", FloodWindow: time.Second}); return err }},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				if err := c.call(); !errors.Is(err, errInvalid) {
					t.Fatalf("err = %v, want errInvalid", err)
				}
			})
		}
	})

	t.Run("close", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		st, _ := b.open(t)
		mustPut(t, st, "chat:1", "a", long)
		if err := st.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
		if _, _, err := st.GetConversation(ctx, "chat:1"); err == nil {
			t.Fatal("get after close succeeded, want an error")
		}
		if _, _, err := st.Take(ctx, "send:all", 1, 1); err == nil {
			t.Fatal("take after close succeeded, want an error")
		}
	})
}

func mustPut(t *testing.T, st State, key, value string, ttl time.Duration) {
	t.Helper()
	if err := st.PutConversation(t.Context(), key, []byte(value), ttl); err != nil {
		t.Fatal(err)
	}
}

// expectBool checks a (bool, error) result: expectBool(t, what, want)(call()).
func expectBool(t *testing.T, what string, want bool) func(bool, error) {
	t.Helper()
	return func(got bool, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got != want {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
	}
}

// concurrently runs f in n goroutines released together and counts the
// true results.
func concurrently(t *testing.T, n int, f func(i int) (bool, error)) int {
	t.Helper()
	var (
		start sync.WaitGroup
		done  sync.WaitGroup
		wins  atomic.Int64
		errs  = make(chan error, n)
	)
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			ok, err := f(i)
			if err != nil {
				errs <- err
				return
			}
			if ok {
				wins.Add(1)
			}
		})
	}
	start.Done()
	done.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return int(wins.Load())
}
