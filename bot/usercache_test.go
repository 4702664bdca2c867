package bot

import (
	"testing"
	"time"

	"github.com/caxbot/caxbot/store"
)

func TestUserCache(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	u := func(id int64) store.User {
		return store.User{TelegramID: id, Name: "Cán bộ", Role: store.RoleCommune, Scope: "04999"}
	}
	tests := []struct {
		name string
		run  func(c *userCache) (hit bool)
		want bool
	}{
		{"fresh entry", func(c *userCache) bool {
			c.put(u(1), t0)
			_, ok := c.get(1, t0.Add(9*time.Second))
			return ok
		}, true},
		{"entry as old as the ttl", func(c *userCache) bool {
			c.put(u(1), t0)
			_, ok := c.get(1, t0.Add(10*time.Second))
			return ok
		}, false},
		{"clock went back", func(c *userCache) bool {
			c.put(u(1), t0)
			_, ok := c.get(1, t0.Add(-time.Second))
			return ok
		}, false},
		{"forgotten after the bot's own write", func(c *userCache) bool {
			c.put(u(1), t0)
			c.forget(1)
			_, ok := c.get(1, t0)
			return ok
		}, false},
		{"never read", func(c *userCache) bool {
			_, ok := c.get(2, t0)
			return ok
		}, false},
		{"full cache drops expired entries first", func(c *userCache) bool {
			c.put(u(1), t0)
			c.put(u(2), t0.Add(5*time.Second))
			c.put(u(3), t0.Add(11*time.Second)) // 1 has expired: 2 stays
			_, ok := c.get(2, t0.Add(12*time.Second))
			return ok
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.run(newUserCache(10*time.Second, 2)); got != tt.want {
				t.Fatalf("hit = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("size is a bound", func(t *testing.T) {
		c := newUserCache(10*time.Second, 3)
		for id := range int64(10) {
			c.put(u(id), t0)
		}
		if n := len(c.users); n > 3 {
			t.Fatalf("%d users kept, want at most 3", n)
		}
		if _, ok := c.get(9, t0); !ok {
			t.Fatal("the user put last is not kept")
		}
	})
}
