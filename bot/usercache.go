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

func newUserCache(check time.Duration, size int) *userCache {
	return &userCache{check: check, size: size, users: make(map[int64]cachedUser)}
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
