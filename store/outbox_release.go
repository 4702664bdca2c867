package store

import (
	"context"
	"fmt"
)

// ReleaseClaims gives back owner's leases on the pending items ids without
// counting an attempt, so that another replica may claim them at once
// instead of when the lease runs out: a stopping replica's unsent batch.
// Items another owner holds by now, or that were settled, are left alone.
func (db *DB) ReleaseClaims(ctx context.Context, ids []int64, owner string) error {
	if len(ids) == 0 {
		return nil
	}
	var a args
	in := list(&a, ids)
	if _, err := db.db.ExecContext(ctx, `UPDATE outbox SET lease_owner = '', lease_until = NULL
		WHERE id IN (`+in+`) AND state = 'pending' AND lease_owner = `+a.add(owner), a...); err != nil {
		return fmt.Errorf("store: release %d outbox items of %q: %w", len(ids), owner, err)
	}
	return nil
}
