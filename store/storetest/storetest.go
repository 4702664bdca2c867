// Package storetest opens the backends tests run on, like net/http/httptest
// for servers: a migrated SQLite file or Postgres schema of their own, and
// a Redis State under a key prefix of their own, so that tests running at
// the same time on the same servers never meet. Postgres and Redis come
// from CAXBOT_TEST_POSTGRES_URL and CAXBOT_TEST_REDIS_URL; without them the
// test skips, unless CAXBOT_REQUIRE_SERVICES=1, which fails it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// Logger writes warnings and errors to the test's log.
func Logger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(writer{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type writer struct{ tb testing.TB }

func (w writer) Write(p []byte) (int, error) { w.tb.Log(string(p)); return len(p), nil }

// service returns the URL in env, or skips the test (fails it with
// CAXBOT_REQUIRE_SERVICES=1) when it is not set.
func service(tb testing.TB, env string) string {
	tb.Helper()
	u := os.Getenv(env)
	if u == "" {
		if os.Getenv("CAXBOT_REQUIRE_SERVICES") == "1" {
			tb.Fatalf("%s is not set and CAXBOT_REQUIRE_SERVICES=1", env)
		}
		tb.Skipf("%s is not set: skipping this backend", env)
	}
	return u
}

// SQLite opens a migrated store in a file of the test's temporary directory.
func SQLite(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(tb.TempDir(), "caxbot.db"), Logger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

func randomName(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Postgres opens a migrated store in a schema of its own
// (CAXBOT_TEST_POSTGRES_URL), dropped when the test ends.
func Postgres(tb testing.TB) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, PostgresURL(tb), Logger(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// PostgresURL creates an empty schema of the test's own, dropped when the
// test ends, and returns a URL whose connections use it: for processes
// the test starts.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	base := service(tb, "CAXBOT_TEST_POSTGRES_URL")
	schema := randomName("t_")
	admin, err := sql.Open("postgres", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("options", "-csearch_path="+schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Redis opens a State on CAXBOT_TEST_REDIS_URL under a key prefix of its
// own, whose keys are removed when the test ends.
func Redis(tb testing.TB) state.State {
	tb.Helper()
	raw, prefix := RedisURL(tb)
	st, err := state.OpenRedis(context.Background(), raw, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// RedisURL returns CAXBOT_TEST_REDIS_URL and a key prefix of the test's
// own, whose keys are removed when the test ends: for a State the test
// opens itself (through a proxy, say) or a process it starts.
func RedisURL(tb testing.TB) (raw, prefix string) {
	tb.Helper()
	raw = service(tb, "CAXBOT_TEST_REDIS_URL")
	prefix = randomName("caxbot-test:") + ":"
	tb.Cleanup(func() {
		opt, err := redis.ParseURL(raw)
		if err != nil {
			tb.Error(err)
			return
		}
		c := redis.NewClient(opt)
		defer c.Close()
		keys, err := c.Keys(context.Background(), prefix+"*").Result()
		if err != nil {
			tb.Error(err)
			return
		}
		if len(keys) > 0 {
			c.Del(context.Background(), keys...)
		}
	})
	return raw, prefix
}

// ImportHoaBinh imports the seed province's districts and communes, from
// store/testdata/hoabinh_communes_2020.csv, as province p.
func ImportHoaBinh(tb testing.TB, db *store.DB, p store.Province, at time.Time) {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(here), "..", "testdata", "hoabinh_communes_2020.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := store.ParseCommunes(f)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ImportCommunes(context.Background(), rows, p, "hoabinh.csv", at); err != nil {
		tb.Fatal(err)
	}
}

// ImportHoaBinhChanges applies the worked example of README,
// store/testdata/hoabinh_changes_2025.csv (the 2025 merges, then the end
// of districts), at now; each moved user gets an empty notice keyed
// "mapchange:<id>".
func ImportHoaBinhChanges(tb testing.TB, db *store.DB, now time.Time) store.ChangeResult {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(here), "..", "testdata", "hoabinh_changes_2025.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := store.ParseChanges(f, db.Location())
	if err != nil {
		tb.Fatal(err)
	}
	res, err := db.ImportMapChanges(context.Background(), rows, "hoabinh_changes_2025.csv", now, func(m store.MovedUser) (store.OutboxItem, error) {
		return store.OutboxItem{Key: "mapchange:" + strconv.FormatInt(m.User.TelegramID, 10), ChatID: m.User.TelegramID, Kind: "map_change", Payload: "{}", DueAt: now}, nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}
