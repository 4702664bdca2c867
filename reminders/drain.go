package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/caxbot/caxbot/store"
)

// Limiter hands out send tokens from named token buckets shared by all
// replicas (store/state implements it): a bucket fills at rate tokens per
// second up to burst; without a token, Take says how long to wait.
type Limiter interface {
	Take(ctx context.Context, bucket string, rate float64, burst int) (ok bool, wait time.Duration, err error)
}

// Outbox is the durable queue of scheduled messages.
type Outbox interface {
	// Claim leases to owner, for leaseFor, up to limit pending items
	// whose DueAt and NextAttempt are not after now and that no one holds
	// a live lease on: an item whose lease ran out (its holder died
	// mid-send) is claimed again, so delivery is at least once.
	Claim(ctx context.Context, now time.Time, limit int, owner string, leaseFor time.Duration) ([]store.OutboxItem, error)
	// MarkSent records the item sent at at.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkGone records that the item's recipient blocked the bot, on the
	// item and on the user with Telegram id chatID.
	MarkGone(ctx context.Context, id int64, chatID int64, at time.Time) error
	// Retry releases the item to be claimed again at next, counting one
	// more attempt and keeping lastErr.
	Retry(ctx context.Context, id int64, next time.Time, lastErr string) error
	// Fail gives up on the item.
	Fail(ctx context.Context, id int64, lastErr string) error
}

// ReleasingOutbox is an Outbox that can give back claims without counting
// an attempt. A Drainer with ReleaseOnStop stopped mid-pass then releases
// the items it did not get to, so that another replica sends them at once
// rather than when their lease runs out.
type ReleasingOutbox interface {
	ReleaseClaims(ctx context.Context, ids []int64, owner string) error
}

// Rate is a token bucket's rate and burst.
type Rate struct {
	PerSecond float64
	Burst     int
}

// The buckets of Telegram's limits: about 30 messages a second in all,
// one a second to one chat, 20 a minute to one group.
const (
	bucketGlobal     = "send:global"
	bucketChatPrefix = "send:chat:"
)

// Drainer delivers due outbox items: it claims a batch, waits for send
// tokens, sends, and records each item's fate by the Sender's error
// (Classify). A Telegram 429 puts the item back for retry_after and holds
// every send of this Drainer that long; a recipient gone is marked so;
// other failures are retried with exponential backoff and jitter up to
// MaxAttempts, or given up at once when the message itself was rejected.
//
// Each item is recorded as soon as its send came back, before the next
// send: a replica killed outright mid-drain leaves unrecorded only the
// item whose send was in flight, which goes out again once its lease runs
// out. With N Drainers, at most N messages can go out twice after a kill.
//
// A message longer than a Telegram message goes out as several (see
// parts); if a later part fails, the retry sends all parts again.
//
// A Drainer is used by one goroutine. Fields left zero take the defaults
// named on them; Outbox, Sender, Limiter, Now, Sleep and Rand are needed.
type Drainer struct {
	Outbox  Outbox
	Sender  Sender
	Limiter Limiter
	Log     *slog.Logger // default: discard
	Now     func() time.Time
	// Sleep waits d or until ctx is done, then returns ctx.Err()
	// (SleepContext does).
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand draws the jitter of retries.
	Rand *rand.Rand

	Owner       string        // who holds the leases, such as the host name
	Lease       time.Duration // how long a claim lasts; default 2 minutes
	Batch       int           // items claimed at once; default 50
	MaxAttempts int           // attempts before giving up; default 8
	Backoff     time.Duration // wait after the first failure, doubling; default 30 seconds
	MaxBackoff  time.Duration // longest wait between attempts; default 1 hour
	Global      Rate          // all chats; default 30/s, burst 30
	Chat        Rate          // one private chat; default 1/s, burst 1
	Group       Rate          // one group (negative chat id); default 20/min, burst 1

	// OnSend, when set, is told the result of every send for monitoring:
	// "ok", "429", "403" or "error".
	OnSend func(result string)
	// ReleaseOnStop gives back, when ctx ends mid-pass, the claims on the
	// items not yet sent (a ReleasingOutbox is needed): a replica told to
	// stop. Without it they wait out their lease, as after a crash.
	ReleaseOnStop bool

	pausedUntil time.Time // after a 429: no send before this
}

// errLeaseShort stops a pass whose lease would end before a throttle
// pause does: the items are claimed again once their lease ends.
var errLeaseShort = errors.New("lease shorter than the pause")

// Run drains the outbox until ctx is done, pausing every between passes
// that found less than a full batch. Errors of a pass are logged and the
// next pass tries again.
func (d *Drainer) Run(ctx context.Context, every time.Duration) error {
	for {
		n, err := d.Drain(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			d.log().Error("drain outbox", "err", err)
		}
		if err == nil && n == d.batch() {
			continue // more may be due already
		}
		if err := d.Sleep(ctx, every); err != nil {
			return nil
		}
	}
}

// Drain makes one pass: it claims a batch of due items and delivers them.
// It returns how many items it claimed and dealt with.
func (d *Drainer) Drain(ctx context.Context) (int, error) {
	if d.Outbox == nil || d.Sender == nil || d.Limiter == nil || d.Now == nil || d.Sleep == nil || d.Rand == nil {
		return 0, errors.New("reminders: drainer needs Outbox, Sender, Limiter, Now, Sleep and Rand")
	}
	now := d.Now()
	lease := durationOr(d.Lease, 2*time.Minute)
	// Nothing of a pass outlasts its lease (in real time): past it,
	// another replica may claim the items, and a store that stalls must
	// not hold this one for ever.
	until := time.Now().Add(lease)
	claimCtx, cancel := context.WithDeadline(ctx, until)
	items, err := d.Outbox.Claim(claimCtx, now, d.batch(), d.Owner, lease)
	cancel()
	if err != nil {
		return 0, fmt.Errorf("reminders: claim outbox: %w", err)
	}
	leaseEnd := now.Add(lease)
	n, err := d.deliverAll(ctx, items, leaseEnd, until)
	if d.ReleaseOnStop && ctx.Err() != nil && n < len(items) {
		if rerr := d.release(context.WithoutCancel(ctx), items[n:]); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	return n, err
}

// release gives back the claims on items a stopped pass did not deliver.
func (d *Drainer) release(ctx context.Context, items []store.OutboxItem) error {
	r, ok := d.Outbox.(ReleasingOutbox)
	if !ok {
		return nil
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	if err := r.ReleaseClaims(ctx, ids, d.Owner); err != nil {
		return fmt.Errorf("reminders: release outbox claims: %w", err)
	}
	return nil
}

// deliverAll delivers the items of a pass; leaseEnd is when their lease
// ends on the Drainer's clock, until the same in real time.
func (d *Drainer) deliverAll(ctx context.Context, items []store.OutboxItem, leaseEnd, until time.Time) (int, error) {
	for i, it := range items {
		if err := d.waitPause(ctx, leaseEnd); err != nil {
			if errors.Is(err, errLeaseShort) {
				d.log().Warn("throttled past the lease: leaving items to be claimed again",
					"left", len(items)-i, "until", d.pausedUntil)
				return i, nil
			}
			return i, err
		}
		if err := d.deliver(ctx, it, until); err != nil {
			return i, err
		}
	}
	return len(items), nil
}

// deliver sends one item and records what became of it, by until (the
// end of its lease). It returns an error only when the item could not be
// recorded (it stays leased and comes back).
func (d *Drainer) deliver(ctx context.Context, it store.OutboxItem, until time.Time) error {
	var m Message
	if err := json.Unmarshal([]byte(it.Payload), &m); err != nil {
		d.log().Error("outbox item payload is not a message", "id", it.ID, "kind", it.Kind, "err", err)
		return recorded(it, "fail", d.Outbox.Fail(ctx, it.ID, "payload: "+err.Error()))
	}
	if err := d.loadFiles(ctx, &m); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, errNoFile) {
			d.log().Error("outbox item's file is gone", "id", it.ID, "kind", it.Kind, "err", err)
			return recorded(it, "fail", d.Outbox.Fail(ctx, it.ID, err.Error()))
		}
		return err // the store did not answer: the item comes back
	}
	// Once a message has started going out it is finished and recorded
	// even if ctx ends (a shutdown): a send Telegram took but nobody
	// recorded would go out again once the lease ran out. So sends and
	// records run on a context that only the lease's end stops, and ctx
	// only stops the next message, or this one before its first part.
	if err := ctx.Err(); err != nil {
		return err
	}
	finish, cancel := context.WithDeadline(context.WithoutCancel(ctx), until)
	defer cancel()
	waitCtx := ctx
	for _, p := range parts(m) {
		if err := d.take(waitCtx, it.ChatID); err != nil {
			return err
		}
		waitCtx = finish
		err := d.Sender.Send(finish, it.ChatID, p)
		d.observeSend(err)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // interrupted: whether it went is unknown
			}
			return d.failed(finish, it, err)
		}
	}
	return d.recordSent(finish, it)
}

// recordSent records a message that went out, trying again until the
// lease ends (ctx): an item sent but not recorded goes out a second time
// once its lease runs out, so a store that is busy for a moment (SQLite's
// single writer behind a burst of senders, or a Postgres failover) must
// not make one.
func (d *Drainer) recordSent(ctx context.Context, it store.OutboxItem) error {
	wait := 50 * time.Millisecond
	for {
		err := d.Outbox.MarkSent(ctx, it.ID, d.Now())
		if err == nil {
			return nil
		}
		d.log().Warn("a sent message not recorded yet, trying again", "id", it.ID, "err", err)
		if d.Sleep(ctx, wait) != nil {
			return recorded(it, "mark sent", err)
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// failed records a failed send by its outcome.
func (d *Drainer) failed(ctx context.Context, it store.OutboxItem, sendErr error) error {
	out := Classify(sendErr)
	now := d.Now()
	attempt := it.Attempts + 1
	log := d.log().With("id", it.ID, "kind", it.Kind, "attempt", attempt, "outcome", out.Kind.String())
	switch out.Kind {
	case OutcomeThrottled:
		until := now.Add(out.RetryAfter)
		if until.After(d.pausedUntil) {
			d.pausedUntil = until
		}
		log.Warn("send throttled", "retry_after", out.RetryAfter)
		return recorded(it, "retry", d.Outbox.Retry(ctx, it.ID, until, sendErr.Error()))
	case OutcomeGone:
		log.Info("recipient gone")
		return recorded(it, "mark gone", d.Outbox.MarkGone(ctx, it.ID, it.ChatID, now))
	case OutcomeRetry:
		if attempt < d.maxAttempts() {
			wait := d.backoff(attempt)
			log.Warn("send failed, will retry", "in", wait, "err", sendErr)
			return recorded(it, "retry", d.Outbox.Retry(ctx, it.ID, now.Add(wait), sendErr.Error()))
		}
	}
	log.Error("send failed, giving up", "err", sendErr)
	return recorded(it, "fail", d.Outbox.Fail(ctx, it.ID, sendErr.Error()))
}

// observeSend tells OnSend how a send went.
func (d *Drainer) observeSend(err error) {
	if d.OnSend == nil {
		return
	}
	switch Classify(err).Kind {
	case OutcomeOK:
		d.OnSend("ok")
	case OutcomeThrottled:
		d.OnSend("429")
	case OutcomeGone:
		d.OnSend("403")
	default:
		d.OnSend("error")
	}
}

// recorded wraps the error of recording what became of an item.
func recorded(it store.OutboxItem, what string, err error) error {
	if err != nil {
		return fmt.Errorf("reminders: outbox item %d: %s: %w", it.ID, what, err)
	}
	return nil
}

// backoff returns the wait after the attempt-th failure: Backoff doubled
// per attempt, capped at MaxBackoff, of which a random half is dropped so
// that messages failed together do not come back together.
func (d *Drainer) backoff(attempt int) time.Duration {
	limit := durationOr(d.MaxBackoff, time.Hour)
	wait := durationOr(d.Backoff, 30*time.Second)
	for i := 1; i < attempt && wait < limit; i++ {
		wait *= 2
	}
	wait = min(wait, limit)
	return wait/2 + time.Duration(d.Rand.Int64N(int64(wait/2)+1))
}

// take waits for a token of the chat's bucket, then one of the global
// bucket: in this order, so that a wait for a slow chat does not hold a
// global token others could use.
func (d *Drainer) take(ctx context.Context, chatID int64) error {
	chat := rateOr(d.Chat, Rate{PerSecond: 1, Burst: 1})
	if chatID < 0 {
		chat = rateOr(d.Group, Rate{PerSecond: 20.0 / 60, Burst: 1})
	}
	if err := d.takeToken(ctx, bucketChatPrefix+strconv.FormatInt(chatID, 10), chat); err != nil {
		return err
	}
	return d.takeToken(ctx, bucketGlobal, rateOr(d.Global, Rate{PerSecond: 30, Burst: 30}))
}

func (d *Drainer) takeToken(ctx context.Context, bucket string, r Rate) error {
	for {
		ok, wait, err := d.Limiter.Take(ctx, bucket, r.PerSecond, r.Burst)
		if err != nil {
			return fmt.Errorf("reminders: take a send token: %w", err)
		}
		if ok {
			return nil
		}
		if err := d.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// waitPause sleeps out a throttle pause, unless it lasts past leaseEnd.
func (d *Drainer) waitPause(ctx context.Context, leaseEnd time.Time) error {
	now := d.Now()
	if !d.pausedUntil.After(now) {
		return nil
	}
	if d.pausedUntil.After(leaseEnd) {
		return errLeaseShort
	}
	return d.Sleep(ctx, d.pausedUntil.Sub(now))
}

func (d *Drainer) log() *slog.Logger {
	if d.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Log
}

func (d *Drainer) batch() int {
	if d.Batch <= 0 {
		return 50
	}
	return d.Batch
}

func (d *Drainer) maxAttempts() int {
	if d.MaxAttempts <= 0 {
		return 8
	}
	return d.MaxAttempts
}

func durationOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func rateOr(r, def Rate) Rate {
	if r.PerSecond <= 0 || r.Burst <= 0 {
		return def
	}
	return r
}

// SleepContext waits d, or until ctx is done; it returns ctx.Err() then.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
