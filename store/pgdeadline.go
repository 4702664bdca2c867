package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/lib/pq"
)

// lib/pq honours a context only by asking the server, on a second
// connection, to cancel the query, and then waits for the first one's
// answer: when the network to Postgres stalls (a frozen server, a
// blackholing firewall), neither ever comes and the call waits for ever,
// whatever its deadline. The connections below give each call's context
// to the socket instead: the socket's deadline is the context's, and a
// context that ends mid-call cuts the socket at once. A connection cut
// short is never reused (its protocol state is unknown); database/sql
// opens another.

// connectTimeout bounds opening a connection when the context that asked
// for it has no deadline (database/sql opens some in the background).
const connectTimeout = 10 * time.Second

// postgresConnector is pq's connector with deadline-honouring
// connections.
func postgresConnector(dsn string) (driver.Connector, error) {
	c, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	c.Dialer(deadlineDialer{})
	return deadlineConnector{pq: c}, nil
}

type deadlineConnector struct{ pq *pq.Connector }

// dialSlot carries, in the context Connect gives pq, where the dialer
// leaves the socket it opened.
type dialSlot struct{}

func (c deadlineConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, connectTimeout)
		defer cancel()
	}
	var nc net.Conn
	inner, err := c.pq.Connect(context.WithValue(ctx, dialSlot{}, &nc))
	if err != nil {
		if cause := cutBy(ctx); cause != nil {
			err = fmt.Errorf("%w (%w)", err, cause)
		}
		return nil, err
	}
	if nc == nil {
		inner.Close()
		return nil, fmt.Errorf("store: postgres connection opened without its socket")
	}
	// The handshake ran under the dialer's deadline; calls set their own.
	if err := nc.SetDeadline(time.Time{}); err != nil {
		inner.Close()
		return nil, err
	}
	return &deadlineConn{inner: inner, nc: nc}, nil
}

func (c deadlineConnector) Driver() driver.Driver { return c.pq.Driver() }

// deadlineDialer opens sockets whose deadline is the dialing context's:
// the handshake of a new connection, and the cancel requests pq sends on
// connections of their own, end with it.
type deadlineDialer struct{}

func (deadlineDialer) Dial(network, address string) (net.Conn, error) {
	return deadlineDialer{}.DialContext(context.Background(), network, address)
}

func (deadlineDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return deadlineDialer{}.DialContext(ctx, network, address)
}

func (deadlineDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		if err := nc.SetDeadline(dl); err != nil {
			nc.Close()
			return nil, err
		}
	}
	if slot, ok := ctx.Value(dialSlot{}).(*net.Conn); ok {
		*slot = nc
	}
	return nc, nil
}

// deadlineConn is a pq connection whose socket follows the context of the
// call in progress.
type deadlineConn struct {
	inner driver.Conn
	nc    net.Conn

	mu     sync.Mutex
	call   uint64      // counts calls, so that a late cut spares the next one
	stop   func() bool // stops the cut of the call in progress
	broken bool        // a call was cut short: never reuse
}

// uncancelled is what pq is given instead of a call's context. Given a
// context that can end, pq asks the server to cancel the query on a new
// connection when it does, and for a prepared statement waits for that
// to finish: over a stalled network, up to 10 s past the deadline. The
// socket's deadline cuts the call instead; the server drops a query whose
// client is gone when it answers.
func uncancelled(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// past is a deadline that has passed: setting it fails every read and
// write in progress at once.
var past = time.Unix(1, 0)

// begin gives the socket ctx's deadline, and has ctx's end cut it, until
// end is called.
func (c *deadlineConn) begin(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
	c.call++
	call := c.call
	dl, _ := ctx.Deadline() // zero: none
	c.nc.SetDeadline(dl)
	c.stop = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.call == call {
			c.broken = true
			c.nc.SetDeadline(past)
		}
	})
}

// end ends the call begun with ctx; a call whose context ended before it
// did leaves the connection broken. err is the call's, told whether the
// context cut it.
func (c *deadlineConn) end(ctx context.Context, err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
	c.call++
	cause := cutBy(ctx)
	if cause != nil {
		c.broken = true
	}
	if !c.broken {
		c.nc.SetDeadline(time.Time{})
	}
	if err != nil && cause != nil {
		return fmt.Errorf("%w (%w)", err, cause)
	}
	return err
}

// cutBy returns why ctx ended, nil while it has not. The socket's
// deadline can fire a moment before the context's own timer marks it
// done: a deadline passed counts as ended.
func cutBy(ctx context.Context) error {
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

func (c *deadlineConn) stopLocked() {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
}

func (c *deadlineConn) isBroken() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken
}

func (c *deadlineConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *deadlineConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.begin(ctx)
	st, err := c.inner.(driver.ConnPrepareContext).PrepareContext(uncancelled(ctx), query)
	if err = c.end(ctx, err); err != nil {
		return nil, err
	}
	return &deadlineStmt{inner: st, c: c}, nil
}

func (c *deadlineConn) Close() error {
	c.mu.Lock()
	c.stopLocked()
	if c.broken {
		// Saying goodbye would wait on the socket that failed.
		c.mu.Unlock()
		return c.nc.Close()
	}
	c.mu.Unlock()
	return c.inner.Close()
}

func (c *deadlineConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *deadlineConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.begin(ctx)
	tx, err := c.inner.(driver.ConnBeginTx).BeginTx(uncancelled(ctx), opts)
	if err = c.end(ctx, err); err != nil {
		return nil, err
	}
	return &deadlineTx{inner: tx, c: c, ctx: ctx}, nil
}

func (c *deadlineConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.begin(ctx)
	rows, err := c.inner.(driver.QueryerContext).QueryContext(uncancelled(ctx), query, args)
	if err != nil {
		return nil, c.end(ctx, err)
	}
	return &deadlineRows{Rows: rows, c: c, ctx: ctx}, nil
}

func (c *deadlineConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.begin(ctx)
	res, err := c.inner.(driver.ExecerContext).ExecContext(uncancelled(ctx), query, args)
	return res, c.end(ctx, err)
}

func (c *deadlineConn) Ping(ctx context.Context) error {
	c.begin(ctx)
	return c.end(ctx, c.inner.(driver.Pinger).Ping(uncancelled(ctx)))
}

func (c *deadlineConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.inner.(driver.NamedValueChecker).CheckNamedValue(nv)
}

func (c *deadlineConn) ResetSession(ctx context.Context) error {
	if c.isBroken() {
		return driver.ErrBadConn
	}
	return c.inner.(driver.SessionResetter).ResetSession(ctx)
}

func (c *deadlineConn) IsValid() bool {
	return !c.isBroken() && c.inner.(driver.Validator).IsValid()
}

// deadlineTx ends with the context it began with: database/sql rolls a
// transaction back when that context ends, and the rollback must not
// wait on a stalled socket either.
type deadlineTx struct {
	inner driver.Tx
	c     *deadlineConn
	ctx   context.Context
}

func (t *deadlineTx) Commit() error {
	t.c.begin(t.ctx)
	return t.c.end(t.ctx, t.inner.Commit())
}

func (t *deadlineTx) Rollback() error {
	t.c.begin(t.ctx)
	return t.c.end(t.ctx, t.inner.Rollback())
}

type deadlineStmt struct {
	inner driver.Stmt
	c     *deadlineConn
}

// Close tells the server to forget the statement and waits for its
// answer, which a stalled network would hold for ever.
func (s *deadlineStmt) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	s.c.begin(ctx)
	return s.c.end(ctx, s.inner.Close())
}

func (s *deadlineStmt) NumInput() int { return s.inner.NumInput() }

func (s *deadlineStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), namedValues(args))
}

func (s *deadlineStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), namedValues(args))
}

func (s *deadlineStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.c.begin(ctx)
	res, err := s.inner.(driver.StmtExecContext).ExecContext(uncancelled(ctx), args)
	return res, s.c.end(ctx, err)
}

func (s *deadlineStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.c.begin(ctx)
	rows, err := s.inner.(driver.StmtQueryContext).QueryContext(uncancelled(ctx), args)
	if err != nil {
		return nil, s.c.end(ctx, err)
	}
	return &deadlineRows{Rows: rows, c: s.c, ctx: ctx}, nil
}

func namedValues(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// deadlineRows keep the query's context on the socket until they are
// closed: reading them is part of the call.
type deadlineRows struct {
	driver.Rows
	c   *deadlineConn
	ctx context.Context
}

func (r *deadlineRows) Close() error {
	return r.c.end(r.ctx, r.Rows.Close())
}
