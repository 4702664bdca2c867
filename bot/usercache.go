package bot

import (
	"sync"
	"time"

	"github.com/caxbot/caxbot/store"
)

// userCache keeps registered users read from the store for a short while,
// so that a user's next messages do not each cost a Postgres round trip.
// The bot's own writes (language, redeemed invitation) forget the entry
// at once; a change made elsewhere (caxbot users, another replica) is
// seen once the entry is older than ttl. Only found users are kept: an
// unregistered user's invitation counts at once on every replica.
type userCache struct {
	ttl  time.Duration
	size int

	mu    sync.Mutex
	users map[int64]cachedUser
}

type cachedUser struct {
	user store.User
	read time.Time
}

func newUserCache(ttl time.Duration, size int) *userCache {
	return &userCache{ttl: ttl, size: size, users: make(map[int64]cachedUser)}
}

// get returns the user with Telegram id id if it was read less than ttl
// before now.
func (c *userCache) get(id int64, now time.Time) (store.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.users[id]
	if !ok || !now.Before(e.read.Add(c.ttl)) || now.Before(e.read) {
		return store.User{}, false
	}
	return e.user, true
}

// put keeps u as read at now. When the cache is full, expired entries go
// first, then arbitrary ones: a dropped entry costs one read, nothing more.
func (c *userCache) put(u store.User, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.users[u.TelegramID]; !ok && len(c.users) >= c.size {
		for id, e := range c.users {
			if !now.Before(e.read.Add(c.ttl)) {
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
	c.users[u.TelegramID] = cachedUser{user: u, read: now}
}

// forget drops the entry of id, after the bot changed that user.
func (c *userCache) forget(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.users, id)
}
