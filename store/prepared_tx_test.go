package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// TestPrepareInsideWriteTransaction: a transaction holding SQLite's write
// lock runs a query not prepared yet while every other connection of the
// pool waits for that lock (writers of other updates, in BEGIN IMMEDIATE).
// Preparing the query on the pool would wait for a connection that none of
// them gives back until busy_timeout fails them, each with "database is
// locked": the cause of caxbot bench's occasional errors under load
// (TestBenchRuns). The query runs on the transaction's own connection, and
// every writer succeeds once it commits.
func TestPrepareInsideWriteTransaction(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t)
	importHoaBinh(t, db)
	holder, err := db.db.BeginTxx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	waiting := db.db.Stats().MaxOpenConnections - 1
	errs := make([]error, waiting)
	var wg sync.WaitGroup
	for i := range waiting {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.inTx(ctx, func(tx *sqlx.Tx) error {
				_, err := tx.ExecContext(ctx, "UPDATE communes SET name = name WHERE code = '04849'")
				return err
			})
		}()
	}
	// Every connection of the pool taken: the holder's, and the writers'
	// waiting for its lock.
	for db.db.Stats().InUse < waiting+1 {
		time.Sleep(time.Millisecond)
	}
	var code string
	if err := db.getPrepared(ctx, holder, &code, "SELECT code FROM communes WHERE code = $1 AND code <> ''", "04849"); err != nil || code != "04849" {
		t.Fatalf("query inside the transaction: %q, %v", code, err)
	}
	if err := holder.Commit(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
}
