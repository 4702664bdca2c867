package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // driver "postgres", for its types; connections are made in pgdeadline.go
	_ "modernc.org/sqlite" // driver "sqlite", pure Go

	"github.com/caxbot/caxbot/store/scrub"
)

// Errors callers test with errors.Is; the store wraps them with context.
var (
	ErrNotFound          = errors.New("store: not found")
	ErrStale             = errors.New("store: the post changed since it was read")
	ErrNoChange          = errors.New("store: the change changes nothing")
	ErrInvitationUnknown = errors.New("store: unknown invitation")
	ErrInvitationExpired = errors.New("store: invitation expired")
	ErrInvitationUsed    = errors.New("store: invitation already used")
	ErrInvitationRevoked = errors.New("store: invitation revoked")
)

// The two dialects the store speaks.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// DB is the durable store: Postgres or an embedded SQLite file behind the
// same queries.
type DB struct {
	db      *sqlx.DB
	stmts   *stmtCache
	dialect string
	logger  *slog.Logger
	// loc rebuilds milestones' days as midnights of the plan's time zone.
	loc *time.Location
	// lockID keys the Postgres advisory lock that serialises migrations of
	// one schema across replicas.
	lockID int64
	// scrub cleans text from outside (the Bot API's errors) before it is
	// stored.
	scrub *scrub.Scrubber
	// asOf, when set, makes the reads of posts and records see the store
	// as it was at that moment (AsOf).
	asOf time.Time
	// verified says whether a plan counts verified changes (plans.counts),
	// shared by the views of AsOf: read by Migrate, SchemaCurrent and
	// Plans, set by SavePlan. Counting a post as its last checked report
	// left it needs a join that costs, on the national roster, 50 ms of
	// SQLite per answer even when no plan asks for it; with this, only a
	// store whose plan counts verified changes pays it. A replica learns
	// of a plan loaded elsewhere when it reads the plans again, as it
	// does when the roster's generation moves.
	verified *atomic.Bool
	// writer, on SQLite, lets one of this process's transactions at a
	// time hold the database's write lock; nil on Postgres. SQLite makes
	// the others poll for it (busy_timeout), and under load a poller can
	// lose every round to newer ones until its timeout fails it with
	// "database is locked", while holding one of the pool's few
	// connections that the lock's holder may need. Waiting here takes no
	// connection and goes in turn; busy_timeout is left for other
	// processes (the CLI beside a running bot) and single statements.
	writer chan struct{}
	// live keeps the posts as they count now in memory for questions
	// (current.go), shared by the views of AsOf.
	live *current
}

// sqlitePragmas: WAL lets readers run beside the single writer; busy_timeout
// makes a second writer wait instead of failing; _txlock=immediate takes the
// write lock at BEGIN, so that a transaction that reads and then writes
// cannot fail half-way on a lock upgrade.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_time_format=sqlite&_txlock=immediate"

// Open connects to the store named by url: "postgres://..." or
// "postgresql://..." for Postgres; "sqlite:PATH", "file:PATH" or a plain
// path for an SQLite file, created if absent. It does not migrate.
func Open(ctx context.Context, url string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return nil, fmt.Errorf("store: load time zone Asia/Ho_Chi_Minh: %w", err)
	}
	dialect, driverName, dsn, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	var sdb *sqlx.DB
	if dialect == DialectPostgres {
		var c driver.Connector
		if c, err = postgresConnector(dsn); err == nil {
			sdb = sqlx.NewDb(sql.OpenDB(c), driverName)
		}
	} else {
		sdb, err = sqlx.Open(driverName, dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dialect, err)
	}
	db := &DB{db: sdb, stmts: newStmtCache(sdb), dialect: dialect, logger: logger.With("component", "store", "dialect", dialect), loc: loc,
		scrub: scrub.New(scrub.URLPassword(url)), verified: new(atomic.Bool), live: new(current)}
	switch dialect {
	case DialectSQLite:
		db.writer = make(chan struct{}, 1)
		// Writes are serialised by SQLite anyway; a few connections let
		// reads proceed beside a writer without piling up file handles.
		sdb.SetMaxOpenConns(4)
		sdb.SetMaxIdleConns(4)
	case DialectPostgres:
		// As many idle connections as open ones: under a burst, fewer
		// idle slots close connections only to open them again a moment
		// later, and each new connection forks a Postgres backend.
		sdb.SetMaxOpenConns(20)
		sdb.SetMaxIdleConns(20)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", dialect, err)
	}
	if dialect == DialectPostgres {
		// Replicas of one deployment share the schema; tests use a schema
		// each. Locking per schema keeps the two from waiting on each other.
		var schema string
		if err := sdb.GetContext(ctx, &schema, "SELECT current_schema()"); err != nil {
			sdb.Close()
			return nil, fmt.Errorf("store: read current schema: %w", err)
		}
		db.lockID = schemaLockID(schema)
	}
	return db, nil
}

func parseURL(url string) (dialect, driver, dsn string, err error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return DialectPostgres, "postgres", url, nil
	case url == "":
		return "", "", "", errors.New("store: empty database URL")
	}
	path := url
	for _, prefix := range []string{"sqlite://", "sqlite:", "file://", "file:"} {
		if p, ok := strings.CutPrefix(url, prefix); ok {
			path = p
			break
		}
	}
	// Our pragmas are the ones that count; options on the URL would fight them.
	path, _, _ = strings.Cut(path, "?")
	if path == "" || strings.Contains(path, "://") {
		return "", "", "", fmt.Errorf("store: database URL %q is neither postgres:// nor an SQLite file path", url)
	}
	return DialectSQLite, "sqlite", "file:" + path + "?" + sqlitePragmas, nil
}

// schemaLockID derives a stable advisory lock id from a schema name (FNV-1a).
func schemaLockID(schema string) int64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(schema); i++ {
		h ^= uint64(schema[i])
		h *= 1099511628211
	}
	return int64(h >> 1)
}

// SetScrubber has the store keep the secrets s knows (the bot's token,
// passwords) out of the text from outside it stores. Open's own scrubber
// knows only the database URL's password; call this before the store is
// used.
func (db *DB) SetScrubber(s *scrub.Scrubber) { db.scrub = s }

// Close closes the prepared statements and the connections.
func (db *DB) Close() error {
	db.stmts.close()
	return db.db.Close()
}

// Dialect returns "postgres" or "sqlite".
func (db *DB) Dialect() string { return db.dialect }

// Location returns the time zone that stored dates are rebuilt in.
func (db *DB) Location() *time.Location { return db.loc }

// inTx runs fn in a transaction and commits when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if db.writer != nil {
		select {
		case db.writer <- struct{}{}:
			defer func() { <-db.writer }()
		case <-ctx.Done():
			return fmt.Errorf("begin: wait for the write lock: %w", ctx.Err())
		}
	}
	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// args collects query arguments and hands out their $n placeholders, which
// both drivers understand.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// bulkArgs are args for long statements whose placeholders appear in the
// order their values are added. SQLite looks each named parameter ($N) up
// with a linear search, which makes a statement of thousands of them
// quadratic; for SQLite they are anonymous (?) instead.
type bulkArgs struct {
	args
	anon bool
}

func (db *DB) bulkArgs() *bulkArgs { return &bulkArgs{anon: db.dialect == DialectSQLite} }

func (a *bulkArgs) add(v any) string {
	if a.anon {
		a.args = append(a.args, v)
		return "?"
	}
	return a.args.add(v)
}

type placeholders interface{ add(v any) string }

// list returns placeholders for each value, comma separated.
func list[T any](a placeholders, vs []T) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = a.add(v)
	}
	return strings.Join(ph, ", ")
}

// scopeWhere restricts a query that joins communes c and districts d to the
// scope; the whole store needs no restriction, and a reporting unit's
// scope holds no commune.
func scopeWhere(s Scope, a *args) (string, error) {
	switch s.Role {
	case RoleUnit:
		return "1 = 0", nil
	case "", RoleNational:
		return "1 = 1", nil
	case RoleProvince:
		return "d.province_code = " + a.add(s.Code), nil
	case RoleDistrict:
		return "c.district_code = " + a.add(s.Code), nil
	case RoleCommune:
		return "c.code = " + a.add(s.Code), nil
	}
	return "", fmt.Errorf("store: unknown scope role %q", s.Role)
}

// utc normalises a time for storage: UTC, and microseconds, which is what
// Postgres keeps, so that both backends give back what they were given.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}

const dateLayout = "2006-01-02"

// dateValue stores a calendar day: DATE in Postgres, TEXT YYYY-MM-DD in
// SQLite. The day is the one the time shows in its own location, so a UTC
// midnight and a Hanoi midnight of the same date store the same value. A
// post's since day comes back as midnight UTC, a milestone's days as
// midnights in Asia/Ho_Chi_Minh, where the plan's deadlines fall.
func dateValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(dateLayout)
}

// nullDate scans a stored day from either backend: lib/pq gives a DATE as
// time.Time, SQLite gives the TEXT back.
type nullDate struct {
	Valid bool
	Day   string // YYYY-MM-DD
}

func (d *nullDate) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = nullDate{}
		return nil
	case time.Time:
		*d = nullDate{Valid: true, Day: v.Format(dateLayout)}
		return nil
	case string:
		*d = nullDate{Valid: true, Day: v}
	case []byte:
		*d = nullDate{Valid: true, Day: string(v)}
	default:
		return fmt.Errorf("store: scan date from %T", src)
	}
	if len(d.Day) < len(dateLayout) {
		return fmt.Errorf("store: scan date %q", d.Day)
	}
	d.Day = d.Day[:len(dateLayout)]
	return nil
}

// in rebuilds the day as its midnight in loc.
func (d nullDate) in(loc *time.Location) (*time.Time, error) {
	if !d.Valid {
		return nil, nil
	}
	t, err := time.ParseInLocation(dateLayout, d.Day, loc)
	if err != nil {
		return nil, fmt.Errorf("store: stored date %q: %w", d.Day, err)
	}
	return &t, nil
}

// isNoRows reports a query that found nothing.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// day returns the calendar day t shows, as midnight UTC: the form a
// post's since date has throughout the store (and in ParsePosts).
func day(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}
