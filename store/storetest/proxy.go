package storetest

import (
	"context"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// Proxy is a TCP proxy between a client and a shared server (Postgres,
// Redis), so that a test can fail the server for its own connections only
// while other tests on the same server go on. It fails in two ways:
//
//   - Down cuts every open connection and refuses new ones, as a
//     restarting server or a reset connection does;
//   - Stall holds every byte in both directions, and every new connection,
//     without closing anything, as a blackholed network or a frozen server
//     does: a client without a deadline waits for ever.
//
// Up ends either; what a stall held then flows on.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	down    bool
	stalled bool
	changed chan struct{} // closed and replaced whenever down or stalled changes
	closed  chan struct{} // closed when the test ends
	conns   map[net.Conn]struct{}

	// onSend, when set, sees what a client sends before it is forwarded.
	onSend atomic.Pointer[func([]byte)]
}

// NewProxy listens on a loopback port and forwards to target (host:port)
// until the test ends.
func NewProxy(tb testing.TB, target string) *Proxy {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{},
		changed: make(chan struct{}), closed: make(chan struct{})}
	go p.serve()
	tb.Cleanup(func() {
		ln.Close()
		p.Down()
		close(p.closed)
	})
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// OnSend has f see every chunk a client sends, before it is forwarded
// (nil: nothing sees them).
func (p *Proxy) OnSend(f func([]byte)) {
	if f == nil {
		p.onSend.Store(nil)
		return
	}
	p.onSend.Store(&f)
}

// Down cuts every open connection and refuses new ones until Up.
func (p *Proxy) Down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
	p.changedLocked()
}

// Stall holds every byte and every new connection until Up; nothing is
// closed.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = true
	p.changedLocked()
}

// Up ends a Down or a Stall: new connections are forwarded again, and
// what a stall held flows on.
func (p *Proxy) Up() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down, p.stalled = false, false
	p.changedLocked()
}

func (p *Proxy) changedLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// wait returns once bytes may flow on c, false if c was cut or the test
// ended meanwhile.
func (p *Proxy) wait(c net.Conn) bool {
	for {
		p.mu.Lock()
		_, open := p.conns[c]
		stalled, changed := p.stalled, p.changed
		p.mu.Unlock()
		switch {
		case !open:
			return false
		case !stalled:
			return true
		}
		select {
		case <-changed:
		case <-p.closed:
			return false
		}
	}
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.pipe(c)
	}
}

// track adds c to the open connections, false when the proxy is down.
func (p *Proxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *Proxy) pipe(c net.Conn) {
	if !p.track(c) || !p.wait(c) {
		c.Close()
		return
	}
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(s) {
		c.Close()
		s.Close()
		return
	}
	// Each direction reads a chunk, waits while the proxy stalls, and
	// forwards it; either side's end closes both.
	forward := func(from, to net.Conn, see bool) {
		buf := make([]byte, 32<<10)
		for {
			n, err := from.Read(buf)
			if n > 0 {
				if f := p.onSend.Load(); see && f != nil {
					(*f)(buf[:n])
				}
				if !p.wait(from) {
					break
				}
				if _, werr := to.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		from.Close()
		to.Close()
	}
	go forward(c, s, true)
	forward(s, c, false)
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, s)
	p.mu.Unlock()
}

// ViaProxy returns rawURL with its host replaced by a new proxy's, and
// the proxy.
func ViaProxy(tb testing.TB, rawURL string) (string, *Proxy) {
	tb.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		tb.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), map[string]string{"postgres": "5432", "postgresql": "5432", "redis": "6379"}[u.Scheme])
	}
	p := NewProxy(tb, target)
	u.Host = p.Addr()
	return u.String(), p
}

// PostgresBehind opens a migrated store in a schema of its own (as
// Postgres does), reached through a proxy the test can fail.
func PostgresBehind(tb testing.TB) (*store.DB, *Proxy) {
	tb.Helper()
	ctx := context.Background()
	raw, p := ViaProxy(tb, PostgresURL(tb))
	db, err := store.Open(ctx, raw, Logger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db, p
}

// RedisBehind opens a Redis State under a key prefix of its own (as Redis
// does), reached through a proxy the test can fail.
func RedisBehind(tb testing.TB) (state.State, *Proxy) {
	tb.Helper()
	raw, prefix := RedisURL(tb)
	raw, p := ViaProxy(tb, raw)
	st, err := state.OpenRedis(context.Background(), raw, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, p
}
