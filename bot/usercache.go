package bot

import (
	"sync"
	"time"

	"github.com/caxbot/caxbot/store"
)

// userCache keeps registered users read from the store for as long as no
// user changes anywhere. The store counts every change to users (a
// trigger moves its users generation, store.DB.UsersGeneration); the cache
// reads that count at most once per check interval, and an entry is good
// while the count is the one it was read under. A user's messages then
// cost no store read until some user changes, and a change made elsewhere
// (caxbot users, another replica) is seen within the interval. The bot's
// own writes (language, redeemed invitation) forget the entry at once.
// Only found users are kept: an unregistered user's invitation counts at
// once on every replica.
type userCache struct {
	check time.Duration
	size  int

	mu    sync.Mutex
	users map[int64]cachedUser
	// roles keeps, by scope, the users of that scope's own role (those
	// asked to check a report): a district's leaders, a province's.
	// Bounded by the units on the map, and kept under the same rule.
	roles map[store.Scope]cachedRole

	// genMu serialises reads of the generation, so that one worker reads
	// it when it is due while the others wait for its answer.
	genMu  sync.Mutex
	gen    int64
	genAt  time.Time
	genSet bool
}

type cachedUser struct {
	user store.User
	gen  int64 // the users generation it was read under
}

type cachedRole struct {
	users []store.User
	gen   int64
}

func newUserCache(check time.Duration, size int) *userCache {
	return &userCache{check: check, size: size, users: make(map[int64]cachedUser), roles: make(map[store.Scope]cachedRole)}
}

// generation returns the users generation as read at most the check
// interval before now, reading it with read when it is older.
func (c *userCache) generation(now time.Time, read func() (int64, error)) (int64, error) {
	c.genMu.Lock()
	defer c.genMu.Unlock()
	if c.genSet && now.Sub(c.genAt) < c.check && !now.Before(c.genAt) {
		return c.gen, nil
	}
	g, err := read()
	if err != nil {
		return 0, err
	}
	c.gen, c.genAt, c.genSet = g, now, true
	return g, nil
}

// get returns the user with Telegram id id if it was read under
// generation gen.
func (c *userCache) get(id int64, gen int64) (store.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.users[id]
	if !ok || e.gen != gen {
		return store.User{}, false
	}
	return e.user, true
}

// put keeps u as read under generation gen. When the cache is full,
// entries of older generations go first, then arbitrary ones: a dropped
// entry costs one read, nothing more.
func (c *userCache) put(u store.User, gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.users[u.TelegramID]; !ok && len(c.users) >= c.size {
		for id, e := range c.users {
			if e.gen != gen {
				delete(c.users, id)
			}
		}
		for id := range c.users {
			if len(c.users) < c.size {
				break
			}
			delete(c.users, id)
		}
	}
	c.users[u.TelegramID] = cachedUser{user: u, gen: gen}
}

// forget drops the entry of id, after the bot changed that user.
func (c *userCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.users, id)
}

// getRole returns the users of scope s's own role, as read under
// generation gen. The slice is shared: callers do not change it.
func (c *userCache) getRole(s store.Scope, gen int64) ([]store.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.roles[s]
	if !ok || e.gen != gen {
		return nil, false
	}
	return e.users, true
}

// putRole keeps the users of scope s's own role as read under generation
// gen; entries of other generations go when the cache is full.
func (c *userCache) putRole(s store.Scope, users []store.User, gen int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.roles[s]; !ok && len(c.roles) >= c.size {
		for k, e := range c.roles {
			if e.gen != gen || len(c.roles) >= c.size {
				delete(c.roles, k)
			}
		}
	}
	c.roles[s] = cachedRole{users: users, gen: gen}
}
