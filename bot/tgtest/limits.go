package tgtest

import (
	"math"
	"time"
)

// Limits are Telegram's sending limits. A zero field takes Telegram's figure.
// Options.Scale multiplies every rate and burst, so a benchmark can run at
// 100 times Telegram's speed and still meet 429s where a real bot would.
type Limits struct {
	// PerSecond is how many messages the bot may send per second in all (30).
	PerSecond float64
	// PerChatPerSecond is the steady rate to one chat (1).
	PerChatPerSecond float64
	// ChatBurst is how many messages one chat may get at once before the
	// steady rate applies (3): Telegram tolerates short bursts.
	ChatBurst float64
	// PerGroupPerMinute is the rate to one group chat, negative chat id (20).
	PerGroupPerMinute float64
}

func (l Limits) withDefaults(scale float64) Limits {
	if scale <= 0 {
		scale = 1
	}
	def := func(v, d float64) float64 {
		if v <= 0 {
			v = d
		}
		return v * scale
	}
	return Limits{
		PerSecond:         def(l.PerSecond, 30),
		PerChatPerSecond:  def(l.PerChatPerSecond, 1),
		ChatBurst:         def(l.ChatBurst, 3),
		PerGroupPerMinute: def(l.PerGroupPerMinute, 20),
	}
}

// bucket is a token bucket: capacity tokens, refilled at rate per second.
type bucket struct {
	tokens   float64
	capacity float64
	rate     float64
	last     time.Time
}

func newBucket(capacity, rate float64, now time.Time) *bucket {
	return &bucket{tokens: capacity, capacity: max(capacity, 1), rate: rate, last: now}
}

func (b *bucket) refill(now time.Time) {
	if now.After(b.last) {
		b.tokens = math.Min(b.capacity, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
}

// wait is how long until one token is available; zero when one is.
func (b *bucket) wait(now time.Time) time.Duration {
	b.refill(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// sendLimiter applies the global, per-chat and per-group buckets together:
// a message is let through only when every bucket that concerns it has a
// token, and then takes one from each.
type sendLimiter struct {
	limits Limits
	global *bucket
	chats  map[int64]*bucket
	groups map[int64]*bucket
}

func newSendLimiter(l Limits, now time.Time) *sendLimiter {
	return &sendLimiter{
		limits: l,
		global: newBucket(l.PerSecond, l.PerSecond, now),
		chats:  map[int64]*bucket{},
		groups: map[int64]*bucket{},
	}
}

// take returns 0 when the message may go, else the retry_after in whole
// seconds (at least 1) that Telegram would announce.
func (l *sendLimiter) take(chatID int64, now time.Time) int {
	buckets := []*bucket{l.global, l.chatBucket(chatID, now)}
	if chatID < 0 {
		g, ok := l.groups[chatID]
		if !ok {
			g = newBucket(l.limits.PerGroupPerMinute, l.limits.PerGroupPerMinute/60, now)
			l.groups[chatID] = g
		}
		buckets = append(buckets, g)
	}
	var wait time.Duration
	for _, b := range buckets {
		wait = max(wait, b.wait(now))
	}
	if wait > 0 {
		return int(math.Ceil(wait.Seconds()))
	}
	for _, b := range buckets {
		b.tokens--
	}
	return 0
}

func (l *sendLimiter) chatBucket(chatID int64, now time.Time) *bucket {
	b, ok := l.chats[chatID]
	if !ok {
		b = newBucket(l.limits.ChatBurst, l.limits.PerChatPerSecond, now)
		l.chats[chatID] = b
	}
	return b
}
