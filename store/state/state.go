// Package state holds caxbot's shared short-lived state: conversation
// steps, seen Telegram update ids, leases for scheduled jobs, send-rate
// buckets and per-user flood limits.
//
// Two implementations keep the same contract: Redis, shared by several
// replicas, and Memory, an in-process twin for the single-machine default.
// Nothing kept here is the only copy of anything a user would miss: losing
// it all costs a restarted conversation or a repeated reminder check, never
// a report.
package state

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// State is shared short-lived state. Nothing in it is the only copy of
// anything a user would miss.
//
// Every TTL and window must be positive; Redis keeps them to the
// millisecond, so shorter ones are rounded up to one millisecond.
type State interface {
	// GetConversation returns the bytes stored under key (e.g. "chat:123"),
	// and ok=false when there are none or they expired.
	GetConversation(ctx context.Context, key string) (data []byte, ok bool, err error)
	// PutConversation stores data under key for ttl, replacing any value
	// and its TTL.
	PutConversation(ctx context.Context, key string, data []byte, ttl time.Duration) error
	// SwapConversation writes next for ttl only if the stored value still
	// equals prev, and reports whether it did. A nil prev means "absent";
	// an empty non-nil prev means "present and empty"; a nil next is
	// stored as empty. It is what keeps a double tap or a stale button from
	// advancing a conversation twice.
	SwapConversation(ctx context.Context, key string, prev, next []byte, ttl time.Duration) (bool, error)
	// DeleteConversation removes key; removing an absent key is not an error.
	DeleteConversation(ctx context.Context, key string) error

	// AcquireLease takes the named lease for holder for ttl if nobody holds
	// it. It is strictly set-if-absent: a holder that already holds the
	// lease gets false too, so two jobs sharing a holder name cannot both
	// run; use RenewLease to extend.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// RenewLease sets the lease's expiry to ttl from now if holder still
	// holds it, and reports whether it did.
	RenewLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// ReleaseLease gives the lease up if holder holds it. Otherwise it
	// changes nothing and returns an error matching ErrLeaseNotHeld: the
	// lease expired while its job ran, and perhaps another replica has it.
	ReleaseLease(ctx context.Context, name, holder string) error

	// Take takes one token from the named token bucket, which fills at rate
	// tokens per second up to burst tokens and starts full. When no token
	// is available it returns ok=false and how long until one is. All
	// replicas share the bucket; on Redis the clock is the Redis server's,
	// so replicas with skewed clocks agree.
	Take(ctx context.Context, bucket string, rate float64, burst int) (ok bool, wait time.Duration, err error)

	// Flood records one event of userKey and reports whether it is within
	// limit events per window. The window slides: an event is allowed when
	// fewer than limit allowed events happened in the window before it.
	// Refused events are not counted, so a user who keeps sending still
	// gets limit events through per window, never more, at any moment.
	Flood(ctx context.Context, userKey string, limit int, window time.Duration) (bool, error)

	// Begin does what the start of every update needs in one call (one
	// round trip on Redis), atomically: it claims b.Claim, then records a
	// flood event, then reads the chat's conversation, each step only if
	// the one before went through. See Begin and Begun.
	Begin(ctx context.Context, b Begin) (Begun, error)

	// Close releases the State; later calls fail.
	Close() error
}

// Begin says what State.Begin does. An empty key skips its step.
type Begin struct {
	// Claim is a conversation key taken as SwapConversation(Claim, nil,
	// "1", ClaimTTL) takes it: the webhook's claim on an update id. When it
	// is already held nothing else is done, and Begun.Held says what it
	// holds (its holder may have swapped "1" for something else since).
	Claim    string
	ClaimTTL time.Duration
	// Flood records one event as Flood(Flood, FloodLimit, FloodWindow)
	// does. When it is refused the conversation is not read.
	Flood       string
	FloodLimit  int
	FloodWindow time.Duration
	// Conversation is read as GetConversation(Conversation) reads it.
	Conversation string
}

// Begun is what State.Begin found. A skipped step counts as gone through.
type Begun struct {
	Claimed bool // false: Claim was already held, nothing else was done
	Allowed bool // false: the flood limit refused the event
	// Data and Found are the conversation, as GetConversation returns it.
	Data  []byte
	Found bool

	// Held is what the claim held when Claimed is false.
	Held []byte
}

func checkBegin(b Begin) error {
	if b.Claim != "" {
		if err := checkTTL(b.ClaimTTL); err != nil {
			return err
		}
	}
	if b.Flood != "" {
		return checkFlood(b.FloodLimit, b.FloodWindow)
	}
	return nil
}

// ErrLeaseNotHeld is returned by ReleaseLease when the holder does not
// hold the lease (any more).
var ErrLeaseNotHeld = errors.New("state: lease not held")

// errInvalid marks a call with arguments no implementation can honour:
// a programming error, not a condition callers handle.
var errInvalid = errors.New("invalid argument")

func checkTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("ttl %v must be positive: %w", ttl, errInvalid)
	}
	return nil
}

func checkBucket(rate float64, burst int) error {
	if !(rate > 0) || math.IsInf(rate, 1) {
		return fmt.Errorf("rate %v must be a positive number: %w", rate, errInvalid)
	}
	if burst < 1 {
		return fmt.Errorf("burst %d must be at least 1: %w", burst, errInvalid)
	}
	return nil
}

func checkFlood(limit int, window time.Duration) error {
	if limit < 1 {
		return fmt.Errorf("limit %d must be at least 1: %w", limit, errInvalid)
	}
	if window <= 0 {
		return fmt.Errorf("window %v must be positive: %w", window, errInvalid)
	}
	return nil
}
