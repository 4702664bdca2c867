package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/storetest"
)

// hangLimit is how long a call is waited for once its server answers
// again: far beyond anything a working call takes.
const hangLimit = 20 * time.Second

// duringStall stalls the proxy, runs call with a short deadline, and
// returns whether it returned during the stall and its error, which
// lasts until two seconds past the deadline: far longer than a call that
// honours its deadline needs to fail, far shorter than the clients' own
// timeouts. A call still waiting then is let go on: the stall ends.
func duringStall(t *testing.T, proxy *storetest.Proxy, name string, call func(ctx context.Context) error) (bool, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	proxy.Stall()
	defer proxy.Up()
	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	<-ctx.Done()
	select {
	case err := <-done:
		return true, err
	case <-time.After(2 * time.Second):
	}
	proxy.Up()
	select {
	case err := <-done:
		return false, err
	case <-time.After(hangLimit):
		t.Fatalf("%s: still waiting %v after the stall ended", name, hangLimit)
		return false, nil
	}
}

// TestPostgresStallHonoursDeadline freezes the network to Postgres
// without closing it, as a blackholing firewall or a frozen server does:
// reads, prepared reads, transactions and pings all end with their
// context's deadline, and once the network is back the store works again
// on fresh connections.
func TestPostgresStallHonoursDeadline(t *testing.T) {
	db, proxy := storetest.PostgresBehind(t)
	ctx := context.Background()
	at := time.Date(2020, 3, 16, 9, 0, 0, 0, time.UTC)
	storetest.ImportHoaBinh(t, db, store.Province{Code: "17", Name: "Tỉnh Hòa Bình"}, at)
	user := store.User{TelegramID: 42, Name: "Cán bộ", Role: store.RoleProvince, Scope: "17"}
	if err := db.AddUser(ctx, user, "test", at); err != nil {
		t.Fatal(err)
	}
	// Warm the pool and the prepared statements: the stall must catch
	// connections in use, not only new ones.
	if _, err := db.User(ctx, 42); err != nil {
		t.Fatal(err)
	}

	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"prepared read", func(ctx context.Context) error { _, err := db.User(ctx, 42); return err }},
		{"read", func(ctx context.Context) error { _, err := db.Communes(ctx, store.Scope{}); return err }},
		{"transaction", func(ctx context.Context) error {
			_, err := db.ApplyChange(ctx, store.Change{Ref: store.PostRef{CommuneCode: "05287", Kind: store.Chief, Slot: 1},
				Status: store.Regular, Holder: "Bùi Văn An", Actor: "test", At: at})
			return err
		}},
		{"schema check", func(ctx context.Context) error { _, err := db.SchemaCurrent(ctx); return err }},
	}
	for _, c := range calls {
		returned, err := duringStall(t, proxy, c.name, c.call)
		if !returned || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s while Postgres stalls: returned %v, error %v; want the deadline", c.name, returned, err)
		}
	}
	for _, c := range calls[:2] {
		if err := c.call(ctx); err != nil {
			t.Errorf("%s after the stall: %v", c.name, err)
		}
	}
	h, err := db.History(ctx, "05287", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 0 {
		t.Errorf("the report cut short by its deadline was written: %+v", h)
	}
}

// TestRedisStallHonoursDeadline does the same to Redis: a call ends with
// its deadline instead of go-redis's own read timeout (seconds).
func TestRedisStallHonoursDeadline(t *testing.T) {
	st, proxy := storetest.RedisBehind(t)
	ctx := context.Background()
	if err := st.PutConversation(ctx, "chat:1", []byte("x"), time.Minute); err != nil {
		t.Fatal(err)
	}
	returned, err := duringStall(t, proxy, "get conversation", func(ctx context.Context) error {
		_, _, err := st.GetConversation(ctx, "chat:1")
		return err
	})
	if !returned || err == nil {
		t.Errorf("get conversation while Redis stalls: returned %v, error %v; want the deadline", returned, err)
	}
	if got, ok, err := st.GetConversation(ctx, "chat:1"); err != nil || !ok || string(got) != "x" {
		t.Errorf("after the stall: %q, %v, %v", got, ok, err)
	}
}

// TestStalledPrepareHoldsUpNoOne: a statement prepared for the first time
// while Postgres stalls waits, until its context ends, without holding
// up the callers of statements already prepared (the cache's lock was
// held across the prepare, and a replica froze whole behind it).
func TestStalledPrepareHoldsUpNoOne(t *testing.T) {
	db, proxy := storetest.PostgresBehind(t)
	ctx := context.Background()
	const cached, fresh = "SELECT 1", "SELECT 2"
	if err := db.CachedStatement(ctx, cached); err != nil {
		t.Fatal(err)
	}
	proxy.Stall()
	defer proxy.Up()
	long, cancel := context.WithTimeout(ctx, hangLimit)
	defer cancel()
	preparing := make(chan error, 1)
	go func() { preparing <- db.CachedStatement(long, fresh) }()
	time.Sleep(100 * time.Millisecond) // let it reach the stalled socket
	got := make(chan error, 1)
	go func() { got <- db.CachedStatement(ctx, cached) }()
	select {
	case err := <-got:
		if err != nil {
			t.Errorf("cached statement while another is prepared: %v", err)
		}
	case <-preparing:
		t.Fatal("the prepare on a stalled Postgres returned before its deadline")
	case <-time.After(hangLimit / 2):
		t.Fatal("a cached statement waited on another's prepare")
	}
	proxy.Up()
	if err := <-preparing; err != nil {
		t.Errorf("the prepare once Postgres is back: %v", err)
	}
}
