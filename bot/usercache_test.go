package bot

import (
	"errors"
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

func TestUserCache(t *testing.T) {
	u := func(id int64) store.User {
		return store.User{TelegramID: id, Name: "Cán bộ", Role: store.RoleCommune, Scope: "04999"}
	}
	tests := []struct {
		name string
		run  func(c *userCache) (hit bool)
		want bool
	}{
		{"read under the current generation", func(c *userCache) bool {
			c.put(u(1), 5)
			_, ok := c.get(1, 5)
			return ok
		}, true},
		{"a user changed since", func(c *userCache) bool {
			c.put(u(1), 5)
			_, ok := c.get(1, 6)
			return ok
		}, false},
		{"forgotten after the bot's own write", func(c *userCache) bool {
			c.put(u(1), 5)
			c.forget(1)
			_, ok := c.get(1, 5)
			return ok
		}, false},
		{"never read", func(c *userCache) bool {
			_, ok := c.get(2, 5)
			return ok
		}, false},
		{"full cache drops older generations first", func(c *userCache) bool {
			c.put(u(1), 4)
			c.put(u(2), 5)
			c.put(u(3), 5) // 1 is of an older generation: 2 stays
			_, ok := c.get(2, 5)
			return ok
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.run(newUserCache(time.Second, 2)); got != tt.want {
				t.Fatalf("hit = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("size is a bound", func(t *testing.T) {
		c := newUserCache(time.Second, 3)
		for id := range int64(10) {
			c.put(u(id), 1)
		}
		if n := len(c.users); n > 3 {
			t.Fatalf("%d users kept, want at most 3", n)
		}
		if _, ok := c.get(9, 1); !ok {
			t.Fatal("the user put last is not kept")
		}
	})
}

// TestUserCacheGeneration: the store's count of user changes is read at
// most once per check interval, again once it has passed or the clock
// went back, and not kept when reading it failed.
func TestUserCacheGeneration(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	c := newUserCache(time.Second, 10)
	stored, reads := int64(1), 0
	read := func() (int64, error) { reads++; return stored, nil }
	steps := []struct {
		at        time.Time
		store     int64
		wantGen   int64
		wantReads int
	}{
		{t0, 1, 1, 1},
		{t0.Add(900 * time.Millisecond), 2, 1, 1}, // within the interval: not read, the change not seen yet
		{t0.Add(time.Second), 2, 2, 2},            // seen within a second
		{t0.Add(1500 * time.Millisecond), 3, 2, 2},
		{t0.Add(-time.Second), 3, 3, 3}, // the clock went back
	}
	for i, s := range steps {
		stored = s.store
		g, err := c.generation(s.at, read)
		if err != nil || g != s.wantGen || reads != s.wantReads {
			t.Errorf("step %d: generation %d (%v) after %d reads, want %d after %d", i, g, err, reads, s.wantGen, s.wantReads)
		}
	}
	down := errors.New("store down")
	if _, err := c.generation(t0.Add(time.Hour), func() (int64, error) { return 0, down }); !errors.Is(err, down) {
		t.Errorf("failed read: %v", err)
	}
	if g, _ := c.generation(t0.Add(time.Hour), read); g != 3 || reads != 4 {
		t.Errorf("after a failed read: generation %d after %d reads, want it read again", g, reads)
	}
}
