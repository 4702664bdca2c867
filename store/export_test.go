package store

import "context"

// CachedStatement is the statement cache's get, for the external tests
// that reach Postgres through a proxy they can stall.
func (db *DB) CachedStatement(ctx context.Context, q string) error {
	_, err := db.stmts.get(ctx, q)
	return err
}
