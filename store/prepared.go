package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// maxPrepared bounds the statements kept prepared. The queries that go
// through the cache have a fixed shape per scope role and filter, a few
// dozen texts in all; the bound only guards against a caller that builds
// texts without end, whose queries then run unprepared.
const maxPrepared = 256

// stmtCache keeps the statements the bot runs for every update prepared,
// by query text. Postgres then parses and plans each of them once per
// connection instead of once per call; for a commune's posts, a join of
// three tables, planning costs several times the query itself (pgbench on
// the national roster: about 7,600 queries/s unprepared, 34,000
// prepared). database/sql prepares a statement on each connection the
// first time it runs there, and again after a connection is replaced.
type stmtCache struct {
	db     *sqlx.DB
	limit  int
	mu     sync.RWMutex
	stmts  map[string]*sqlx.Stmt
	closed bool

	// pending holds the texts prepareSoon is preparing; the work ends
	// with the cache (stop, then close waits for it).
	pending map[string]bool
	work    sync.WaitGroup
	life    context.Context
	stop    context.CancelFunc
}

// prepareTimeout bounds a background preparation (prepareSoon): a pool
// whose connections are all held that long is better served by a later
// try, made at the query's next run.
const prepareTimeout = 10 * time.Second

func newStmtCache(db *sqlx.DB) *stmtCache {
	life, stop := context.WithCancel(context.Background())
	return &stmtCache{db: db, limit: maxPrepared, stmts: make(map[string]*sqlx.Stmt),
		pending: make(map[string]bool), life: life, stop: stop}
}

// errCacheFull tells the caller to run the query unprepared.
var errCacheFull = errors.New("store: statement cache full")

// get returns the prepared statement for q, preparing it on first use.
func (c *stmtCache) get(ctx context.Context, q string) (*sqlx.Stmt, error) {
	c.mu.RLock()
	st, ok := c.stmts[q]
	closed, full := c.closed, len(c.stmts) >= c.limit
	c.mu.RUnlock()
	switch {
	case ok:
		return st, nil
	case closed:
		return nil, errors.New("store: database is closed")
	case full:
		return nil, errCacheFull
	}
	// Prepared outside the lock: a prepare that waits on a stalled
	// connection holds up its own caller, until its context ends, and
	// never every other reader of the cache.
	st, err := c.db.PreparexContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	c.mu.Lock()
	prev, ok := c.stmts[q]
	switch {
	case ok:
		// Another caller prepared it meanwhile: keep theirs.
		c.mu.Unlock()
		st.Close()
		return prev, nil
	case c.closed || len(c.stmts) >= c.limit:
		closed := c.closed
		c.mu.Unlock()
		st.Close()
		if closed {
			return nil, errors.New("store: database is closed")
		}
		return nil, errCacheFull
	}
	c.stmts[q] = st
	c.mu.Unlock()
	return st, nil
}

// cached returns q's statement if it is prepared already.
func (c *stmtCache) cached(q string) (*sqlx.Stmt, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	st, ok := c.stmts[q]
	return st, ok
}

// prepareSoon prepares q on the pool in the background, once at a time,
// for a caller inside a transaction, which must not wait for a connection
// (stmtFor) and runs q unprepared meanwhile. A statement that only ever
// runs inside transactions (a report's writes) would otherwise be parsed
// and planned on every call, for good. A failed preparation is not
// reported: q runs as is, and its next run tries again.
func (c *stmtCache) prepareSoon(q string) {
	c.mu.Lock()
	if c.closed || c.pending[q] || c.stmts[q] != nil || len(c.stmts)+len(c.pending) >= c.limit {
		c.mu.Unlock()
		return
	}
	c.pending[q] = true
	c.work.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.work.Done()
		ctx, cancel := context.WithTimeout(c.life, prepareTimeout)
		defer cancel()
		_, _ = c.get(ctx, q)
		c.mu.Lock()
		delete(c.pending, q)
		c.mu.Unlock()
	}()
}

// close closes every statement, once the background preparations have
// ended; later gets fail.
func (c *stmtCache) close() {
	c.mu.Lock()
	c.closed = true // no prepareSoon starts from here on
	c.mu.Unlock()
	c.stop()
	c.work.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// stmtFor returns q's prepared statement, bound to tx when tx is not nil;
// nil (and no error) when q must run as is: the cache is full, or q is
// not prepared yet and tx is not nil. Preparing takes a connection of the
// pool, which a transaction must never wait for: holding SQLite's write
// lock, it would wait while every other connection waits for that lock,
// until busy_timeout fails them ("database is locked"). So q is prepared
// in the background for its next run. A statement prepared already is
// bound to tx on tx's own connection.
func (db *DB) stmtFor(ctx context.Context, tx *sqlx.Tx, q string) (*sqlx.Stmt, error) {
	if tx != nil {
		st, ok := db.stmts.cached(q)
		if !ok {
			db.stmts.prepareSoon(q)
			return nil, nil
		}
		return tx.StmtxContext(ctx, st), nil
	}
	st, err := db.stmts.get(ctx, q)
	if errors.Is(err, errCacheFull) {
		return nil, nil
	}
	return st, err
}

// on is what runs an unprepared query: tx, or the pool when tx is nil.
func (db *DB) on(tx *sqlx.Tx) sqlx.ExtContext {
	if tx != nil {
		return tx
	}
	return db.db
}

// selectPrepared is SelectContext through a prepared statement; tx, when
// not nil, runs it inside that transaction.
func (db *DB) selectPrepared(ctx context.Context, tx *sqlx.Tx, dest any, q string, args ...any) error {
	st, err := db.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return err
	case st == nil:
		return sqlx.SelectContext(ctx, db.on(tx), dest, q, args...)
	}
	return st.SelectContext(ctx, dest, args...)
}

// queryPrepared is QueryContext through a prepared statement, for a
// caller that scans its rows one by one; tx, when not nil, runs it
// inside that transaction.
func (db *DB) queryPrepared(ctx context.Context, tx *sqlx.Tx, q string, args ...any) (*sql.Rows, error) {
	st, err := db.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return nil, err
	case st == nil:
		return db.on(tx).QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// getPrepared is GetContext through a prepared statement; tx, when not
// nil, runs it inside that transaction.
func (db *DB) getPrepared(ctx context.Context, tx *sqlx.Tx, dest any, q string, args ...any) error {
	st, err := db.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return err
	case st == nil:
		return sqlx.GetContext(ctx, db.on(tx), dest, q, args...)
	}
	return st.GetContext(ctx, dest, args...)
}

// execPrepared is ExecContext through a prepared statement; tx, when not
// nil, runs it inside that transaction.
func (db *DB) execPrepared(ctx context.Context, tx *sqlx.Tx, q string, args ...any) error {
	st, err := db.stmtFor(ctx, tx, q)
	switch {
	case err != nil:
		return err
	case st == nil:
		_, err = db.on(tx).ExecContext(ctx, q, args...)
	default:
		_, err = st.ExecContext(ctx, args...)
	}
	return err
}
