package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// DeliveryOutcome is what came of one attempt to deliver an outbox item.
type DeliveryOutcome string

const (
	DeliverySent   DeliveryOutcome = "sent"
	DeliveryGone   DeliveryOutcome = "gone"
	DeliveryRetry  DeliveryOutcome = "retry"
	DeliveryFailed DeliveryOutcome = "failed"
)

// Delivery records one attempt to deliver an outbox item.
type Delivery struct {
	ID       int64           `db:"id"`
	OutboxID int64           `db:"outbox_id"`
	ChatID   int64           `db:"chat_id"`
	Outcome  DeliveryOutcome `db:"outcome"`
	Error    string          `db:"error"`
	At       time.Time       `db:"at"`
}

const outboxColumns = "id, key, chat_id, kind, payload, file_hash, due_at, state, attempts, next_attempt, sent_at, last_error, created_at"

// Claim leases to owner, for leaseFor, up to limit pending items due at
// now (DueAt and NextAttempt not after it) that nobody holds a live lease
// on, oldest first. An item whose lease ran out, because its holder died
// mid-send, is claimed again: delivery is at least once, and at most one
// holder sends an item at a time.
//
// On Postgres the candidates are locked with FOR UPDATE SKIP LOCKED, so
// concurrent claimers take disjoint batches without waiting on each other;
// SQLite runs the one UPDATE under its database write lock.
func (db *DB) Claim(ctx context.Context, now time.Time, limit int, owner string, leaseFor time.Duration) ([]OutboxItem, error) {
	if limit <= 0 {
		return nil, nil
	}
	lock := ""
	if db.dialect == DialectPostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var items []OutboxItem
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var ids []int64
		err := tx.SelectContext(ctx, &ids, `UPDATE outbox SET lease_owner = $1, lease_until = $2
			WHERE id IN (SELECT id FROM outbox
				WHERE state = 'pending' AND due_at <= $3 AND next_attempt <= $3
					AND (lease_until IS NULL OR lease_until <= $3)
				ORDER BY next_attempt, id LIMIT $4`+lock+`)
			RETURNING id`, owner, utc(now.Add(leaseFor)), utc(now), limit)
		if err != nil {
			return fmt.Errorf("lease: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		var a args
		q := "SELECT " + outboxColumns + " FROM outbox WHERE id IN (" + list(&a, ids) + ") ORDER BY next_attempt, id"
		if err := tx.SelectContext(ctx, &items, q, a...); err != nil {
			return fmt.Errorf("read: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox items for %q: %w", owner, err)
	}
	return items, nil
}

// MarkSent records the item sent at at.
//
// The Drainer records every send as soon as it is made, so this is one
// store write per message: on Postgres a single prepared statement,
// committed on its own (one round trip), rather than a transaction of
// two.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	if db.dialect == DialectPostgres {
		var got int64
		err := db.getPrepared(ctx, nil, &got, `WITH sent AS (
				UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1, lease_owner = '', lease_until = NULL
				WHERE id = $1 RETURNING id, chat_id)
			INSERT INTO deliveries (outbox_id, chat_id, outcome, error, at)
				SELECT id, chat_id, 'sent', '', $2 FROM sent RETURNING outbox_id`, id, utc(at))
		switch {
		case isNoRows(err):
			return fmt.Errorf("store: outbox item %d sent: %w", id, ErrNotFound)
		case err != nil:
			return fmt.Errorf("store: outbox item %d sent: %w", id, err)
		}
		return nil
	}
	return db.settle(ctx, id, DeliverySent, "", at,
		`UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1, lease_owner = '', lease_until = NULL
			WHERE id = $1 RETURNING chat_id`, utc(at))
}

// MarkGone records that the item's recipient blocked the bot, on the item
// and on the user with Telegram id chatID; a group (which has no user)
// that removed the bot loses its binding.
func (db *DB) MarkGone(ctx context.Context, id int64, chatID int64, at time.Time) error {
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := settleTx(ctx, tx, id, DeliveryGone, "", at,
			`UPDATE outbox SET state = 'gone', attempts = attempts + 1, lease_owner = '', lease_until = NULL
				WHERE id = $1 RETURNING chat_id`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET gone = $2, gone_at = $3 WHERE telegram_id = $1", chatID, true, utc(at)); err != nil {
			return fmt.Errorf("mark user gone: %w", err)
		}
		if chatID < 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM group_chats WHERE chat_id = $1", chatID); err != nil {
				return fmt.Errorf("unbind group chat: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: outbox item %d gone: %w", id, err)
	}
	return nil
}

// Retry releases the item to be claimed again at next, counting one more
// attempt and keeping lastErr. The delivery is recorded at next's attempt
// being scheduled, which is the store's only clock here: next itself.
//
// lastErr, often the Bot API's or a proxy's words, is stored without the
// secrets DB.SetScrubber names or any token or URL password it quotes; so
// is Fail's.
func (db *DB) Retry(ctx context.Context, id int64, next time.Time, lastErr string) error {
	lastErr = db.scrub.String(lastErr)
	return db.settle(ctx, id, DeliveryRetry, lastErr, next,
		`UPDATE outbox SET next_attempt = $2, last_error = $3, attempts = attempts + 1, lease_owner = '', lease_until = NULL
			WHERE id = $1 RETURNING chat_id`, utc(next), lastErr)
}

// Fail gives up on the item, keeping lastErr.
func (db *DB) Fail(ctx context.Context, id int64, lastErr string) error {
	lastErr = db.scrub.String(lastErr)
	var at time.Time
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		// The failure is dated by the lease it failed under, the last
		// moment the store knows the item was in hand.
		var lease *time.Time
		if err := tx.GetContext(ctx, &lease, "SELECT lease_until FROM outbox WHERE id = $1", id); err != nil {
			if isNoRows(err) {
				return ErrNotFound
			}
			return err
		}
		if lease != nil {
			at = *lease
		}
		return settleTx(ctx, tx, id, DeliveryFailed, lastErr, at,
			`UPDATE outbox SET state = 'failed', last_error = $2, attempts = attempts + 1, lease_owner = '', lease_until = NULL
				WHERE id = $1 RETURNING chat_id`, lastErr)
	})
	if err != nil {
		return fmt.Errorf("store: outbox item %d failed: %w", id, err)
	}
	return nil
}

// settle updates an item and records the delivery in one transaction.
func (db *DB) settle(ctx context.Context, id int64, outcome DeliveryOutcome, errText string, at time.Time, update string, updateArgs ...any) error {
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		return settleTx(ctx, tx, id, outcome, errText, at, update, updateArgs...)
	})
	if err != nil {
		return fmt.Errorf("store: outbox item %d %s: %w", id, outcome, err)
	}
	return nil
}

// settleTx runs update, which takes the item's id as $1 and returns its
// chat_id, and records the delivery.
func settleTx(ctx context.Context, tx *sqlx.Tx, id int64, outcome DeliveryOutcome, errText string, at time.Time, update string, updateArgs ...any) error {
	var chatID int64
	if err := tx.GetContext(ctx, &chatID, update, append([]any{id}, updateArgs...)...); err != nil {
		if isNoRows(err) {
			return ErrNotFound
		}
		return fmt.Errorf("update: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (outbox_id, chat_id, outcome, error, at) VALUES ($1, $2, $3, $4, $5)`,
		id, chatID, outcome, errText, utc(at)); err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}

// OutboxItems returns the items whose key starts with prefix, by id: what
// a job planned, for previews, tests and the admin.
func (db *DB) OutboxItems(ctx context.Context, prefix string) ([]OutboxItem, error) {
	var out []OutboxItem
	err := db.db.SelectContext(ctx, &out, "SELECT "+outboxColumns+" FROM outbox WHERE substr(key, 1, length($1)) = $1 ORDER BY id", prefix)
	if err != nil {
		return nil, fmt.Errorf("store: outbox items %q: %w", prefix, err)
	}
	return out, nil
}

// Deliveries returns the recorded attempts to deliver an item, oldest first.
func (db *DB) Deliveries(ctx context.Context, outboxID int64) ([]Delivery, error) {
	var out []Delivery
	err := db.db.SelectContext(ctx, &out, "SELECT id, outbox_id, chat_id, outcome, error, at FROM deliveries WHERE outbox_id = $1 ORDER BY id", outboxID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of outbox item %d: %w", outboxID, err)
	}
	return out, nil
}
