package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Enqueue adds items to the outbox and returns how many were new: an item
// whose key is already there is skipped, so planning an occasion twice
// never sends it twice. A zero State is pending; a zero NextAttempt or
// CreatedAt is taken to be DueAt, as the store has no clock of its own.
func (db *DB) Enqueue(ctx context.Context, items []OutboxItem) (int, error) {
	var inserted int
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		inserted, err = db.enqueue(ctx, tx, items)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue %d items: %w", len(items), err)
	}
	return inserted, nil
}

// enqueue is Enqueue inside tx, for a change that enqueues with others.
func (db *DB) enqueue(ctx context.Context, tx *sqlx.Tx, items []OutboxItem) (int, error) {
	keys, err := db.insertOutbox(ctx, tx, items)
	return len(keys), err
}

// insertOutbox writes items, skipping those whose key is already there,
// and returns the keys it wrote.
func (db *DB) insertOutbox(ctx context.Context, tx *sqlx.Tx, items []OutboxItem) ([]string, error) {
	var inserted []string
	for chunk := range slices.Chunk(items, batchRows) {
		a := db.bulkArgs()
		values := make([]string, len(chunk))
		for i, it := range chunk {
			if it.Key == "" {
				return nil, fmt.Errorf("item for chat %d has no key", it.ChatID)
			}
			values[i] = outboxValues(a, it)
		}
		var keys []string
		if err := tx.SelectContext(ctx, &keys, `INSERT INTO outbox (key, chat_id, kind, payload, file_hash, due_at, state, attempts, next_attempt, sent_at, last_error, created_at)
				VALUES `+strings.Join(values, ", ")+` ON CONFLICT (key) DO NOTHING RETURNING key`, a.args...); err != nil {
			return nil, fmt.Errorf("write outbox: %w", err)
		}
		inserted = append(inserted, keys...)
	}
	return inserted, nil
}

// outboxValues is the row of it for an INSERT INTO outbox of enqueue's
// columns. A zero State is pending; a zero NextAttempt or CreatedAt is
// DueAt.
func outboxValues(a *bulkArgs, it OutboxItem) string {
	state := it.State
	if state == "" {
		state = OutboxPending
	}
	next := it.NextAttempt
	if next.IsZero() {
		next = it.DueAt
	}
	created := it.CreatedAt
	if created.IsZero() {
		created = it.DueAt
	}
	return "(" + list(a, []any{it.Key, it.ChatID, it.Kind, it.Payload, it.FileRef, utc(it.DueAt), state,
		it.Attempts, utc(next), utcPtr(it.SentAt), it.LastError, utc(created)}) + ")"
}
