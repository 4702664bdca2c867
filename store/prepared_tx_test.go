package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// TestPrepareInsideWriteTransaction: a transaction holding SQLite's write
// lock runs a query not prepared yet while every other connection of the
// pool waits for that lock (writers in BEGIN IMMEDIATE: another process's,
// or statements outside inTx, whose turn DB.writer does not keep).
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
			tx, err := db.db.BeginTxx(ctx, nil)
			if err != nil {
				errs[i] = err
				return
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, "UPDATE communes SET name = name WHERE code = '04849'"); err != nil {
				errs[i] = err
				return
			}
			errs[i] = tx.Commit()
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
	// Meanwhile the query was prepared on the pool, for its next run, by
	// a preparation that waited for a connection without holding anyone.
	waitPrepared(t, db, "SELECT code FROM communes WHERE code = $1 AND code <> ''")
}

// TestPreparedForNextTransaction: a query first run inside a transaction
// runs as is there, and is prepared in the background for its next run,
// which goes through the prepared statement and answers the same.
func TestPreparedForNextTransaction(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		importHoaBinh(t, db)
		const q = "SELECT name FROM communes WHERE code = $1 AND code <> 'in a transaction'"
		var first, second string
		if err := db.inTx(ctx, func(tx *sqlx.Tx) error { return db.getPrepared(ctx, tx, &first, q, "04849") }); err != nil {
			t.Fatal(err)
		}
		waitPrepared(t, db, q)
		if err := db.inTx(ctx, func(tx *sqlx.Tx) error {
			st, err := db.stmtFor(ctx, tx, q)
			if err != nil || st == nil {
				return fmt.Errorf("statement for the second run: %v, %v", st, err)
			}
			return st.GetContext(ctx, &second, "04849")
		}); err != nil {
			t.Fatal(err)
		}
		if first == "" || second != first {
			t.Errorf("names read: %q unprepared, %q prepared", first, second)
		}
	})
}

// waitPrepared waits for q to be in db's statement cache.
func waitPrepared(t *testing.T, db *DB, q string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, ok := db.stmts.cached(q); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q was never prepared", q)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWritersWaitTheirTurn: more of this process's writers than the pool
// has connections, one of them reading through the pool while it holds the
// write lock. Waiting for SQLite's lock inside BEGIN IMMEDIATE would hold
// every connection until busy_timeout failed the waiters with "database is
// locked" (CI saw it under the race detector, sixteen outbox senders on one
// file); waiting for DB.writer holds none, and every writer succeeds.
func TestWritersWaitTheirTurn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := openSQLite(t)
	importHoaBinh(t, db)
	writers := 3 * db.db.Stats().MaxOpenConnections
	started := make(chan struct{})
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.inTx(ctx, func(tx *sqlx.Tx) error {
				if i == 0 {
					close(started)
					// The others queue up meanwhile.
					time.Sleep(100 * time.Millisecond)
					var n int
					if err := db.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM communes"); err != nil {
						return err
					}
				}
				_, err := tx.ExecContext(ctx, "UPDATE communes SET name = name WHERE code = '04849'")
				return err
			})
		}()
		if i == 0 {
			<-started
		}
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
}
