package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OutboxStats is the outbox's backlog as a monitoring scrape sees it.
type OutboxStats struct {
	Pending int           // items not yet delivered, due or not
	Due     int           // pending items whose due time has come
	Oldest  time.Duration // how long the oldest due item has waited; 0 when none is due
}

// OutboxStats counts the pending items as of now. Items due later (in quiet
// hours, say) are pending but not due, and do not age the backlog.
func (db *DB) OutboxStats(ctx context.Context, now time.Time) (OutboxStats, error) {
	var s OutboxStats
	row := db.db.QueryRowxContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at <= $1 THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE state = 'pending'`, utc(now))
	if err := row.Scan(&s.Pending, &s.Due); err != nil {
		return OutboxStats{}, fmt.Errorf("store: outbox stats: count: %w", err)
	}
	if s.Due == 0 {
		return s, nil
	}
	// A plain column, not MIN(due_at): SQLite's driver turns a column
	// declared TIMESTAMP into a time, an aggregate's value it does not.
	var oldest time.Time
	err := db.db.QueryRowxContext(ctx, `SELECT due_at FROM outbox WHERE state = 'pending' AND due_at <= $1
		ORDER BY due_at LIMIT 1`, utc(now)).Scan(&oldest)
	switch {
	case errors.Is(err, sql.ErrNoRows): // sent since the count
	case err != nil:
		return OutboxStats{}, fmt.Errorf("store: outbox stats: oldest: %w", err)
	default:
		s.Oldest = max(now.Sub(oldest), 0)
	}
	return s, nil
}
