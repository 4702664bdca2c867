package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ArchivedItem is what the retention job keeps of an outbox item it
// pruned: who was sent which occasion, and when.
type ArchivedItem struct {
	Key      string      `db:"key"` // the item's key: the occasion and the recipient
	ChatID   int64       `db:"chat_id"`
	Kind     string      `db:"kind"`
	State    OutboxState `db:"state"`
	Attempts int         `db:"attempts"`
	DueAt    time.Time   `db:"due_at"`
	SentAt   *time.Time  `db:"sent_at"`
}

// Pruned counts what Prune removed.
type Pruned struct {
	Items     int // outbox items, with their payloads and deliveries, moved to the archive
	Files     int // outbox files no item names any more
	Snapshots int // digest snapshots of weeks before the cut-off
}

// Prune removes what the outbox no longer needs from before cutoff, in
// one transaction: the items settled (sent, gone or failed) and due
// before it lose their payload and deliveries and leave a compact record
// in the archive (ArchivedItems); files no remaining item names and
// stored before it are deleted; and so are digest snapshots of weeks
// before it, as a digest compares with the week before only. Pending
// items are never touched, however old.
func (db *DB) Prune(ctx context.Context, cutoff time.Time) (Pruned, error) {
	var out Pruned
	cut := utc(cutoff)
	settled := `state <> 'pending' AND due_at < $1 AND (sent_at IS NULL OR sent_at < $1)`
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_archive (key, chat_id, kind, state, attempts, due_at, sent_at)
			SELECT key, chat_id, kind, state, attempts, due_at, sent_at FROM outbox WHERE `+settled+`
			ON CONFLICT (key) DO NOTHING`, cut); err != nil {
			return fmt.Errorf("archive outbox items: %w", err)
		}
		// Deliveries go with their items (ON DELETE CASCADE).
		n, err := exec(ctx, tx, "DELETE FROM outbox WHERE "+settled, cut)
		if err != nil {
			return fmt.Errorf("delete outbox items: %w", err)
		}
		out.Items = n
		if out.Files, err = exec(ctx, tx, `DELETE FROM outbox_files WHERE created_at < $1
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.file_hash = outbox_files.hash)`, cut); err != nil {
			return fmt.Errorf("delete outbox files: %w", err)
		}
		if out.Snapshots, err = exec(ctx, tx, "DELETE FROM digest_snapshots WHERE week < $1", cutoff.In(db.loc).Format(dateLayout)); err != nil {
			return fmt.Errorf("delete digest snapshots: %w", err)
		}
		return nil
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("store: prune before %s: %w", cut.Format(time.RFC3339), err)
	}
	return out, nil
}

func exec(ctx context.Context, tx *sqlx.Tx, q string, args ...any) (int, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// ArchivedItems returns the archived items whose key starts with prefix,
// by due time and key: who was reminded of an occasion ("remind:chief-q1-2020:")
// or sent a week's digest ("digest:2020-03-02:").
func (db *DB) ArchivedItems(ctx context.Context, prefix string) ([]ArchivedItem, error) {
	var out []ArchivedItem
	err := db.db.SelectContext(ctx, &out, `SELECT key, chat_id, kind, state, attempts, due_at, sent_at FROM outbox_archive
		WHERE substr(key, 1, length($1)) = $1 ORDER BY due_at, key`, prefix)
	if err != nil {
		return nil, fmt.Errorf("store: archived outbox items %q: %w", prefix, err)
	}
	return out, nil
}
