package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// forEachBackend runs fn on a fresh, migrated SQLite file and on a fresh,
// migrated Postgres schema.
func forEachBackend(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t)) })
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.tb.Log(string(p)); return len(p), nil }

// openSQLite opens a migrated SQLite file in a temporary directory.
func openSQLite(tb testing.TB) *DB { return openSQLiteFor(tb, tb) }

// openSQLiteFor is openSQLite with the file's lifetime tied to owner, so
// that a benchmark can keep a store across its runs.
func openSQLiteFor(tb, owner testing.TB) *DB {
	tb.Helper()
	return openSQLiteAt(tb, owner, filepath.Join(owner.TempDir(), "caxbot.db"))
}

// openSQLiteAt opens, and migrates, the SQLite file at path: another
// handle on a file already open stands for another process.
func openSQLiteAt(tb, owner testing.TB, path string) *DB {
	tb.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+path, testLogger(owner))
	if err != nil {
		tb.Fatal(err)
	}
	owner.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// postgresURL returns the test server's URL, or skips (fails with
// CAXBOT_REQUIRE_SERVICES=1) when there is none.
func postgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("CAXBOT_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CAXBOT_REQUIRE_SERVICES") == "1" {
			tb.Fatal("CAXBOT_TEST_POSTGRES_URL is not set and CAXBOT_REQUIRE_SERVICES=1")
		}
		tb.Skip("CAXBOT_TEST_POSTGRES_URL is not set: skipping the Postgres backend")
	}
	return u
}

// openPostgres opens a migrated store in a schema of its own, dropped when
// the test ends, so that tests running at the same time never meet.
func openPostgres(tb testing.TB) *DB { return openPostgresFor(tb, tb) }

// openPostgresFor is openPostgres with the schema's lifetime tied to owner.
func openPostgresFor(tb, owner testing.TB) *DB {
	tb.Helper()
	ctx := context.Background()
	base := postgresURL(tb)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)

	admin, err := sql.Open("postgres", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	owner.Cleanup(func() {
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
	db, err := Open(ctx, u.String(), testLogger(owner))
	if err != nil {
		tb.Fatal(err)
	}
	owner.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return db
}

// at is a fixed moment of March 2020, Hanoi time, offset by minutes.
func at(minutes int) time.Time {
	return time.Date(2020, 3, 2, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600)).Add(time.Duration(minutes) * time.Minute)
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name, url, dialect string
		wantErr            bool
	}{
		{"sqlite prefix", "sqlite:" + filepath.Join(t.TempDir(), "a.db"), DialectSQLite, false},
		{"file prefix", "file:" + filepath.Join(t.TempDir(), "b.db"), DialectSQLite, false},
		{"plain path", filepath.Join(t.TempDir(), "c.db"), DialectSQLite, false},
		{"file URI", "file://" + filepath.Join(t.TempDir(), "e.db"), DialectSQLite, false},
		{"missing directory", filepath.Join(t.TempDir(), "no", "such", "d.db"), "", true},
		{"unknown scheme", "mysql://localhost/caxbot", "", true},
		{"empty", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(context.Background(), tt.url, testLogger(t))
			if tt.wantErr {
				if err == nil {
					db.Close()
					t.Fatalf("Open(%q) succeeded, want an error", tt.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := db.Dialect(); got != tt.dialect {
				t.Errorf("Dialect() = %q, want %q", got, tt.dialect)
			}
		})
	}
}

func TestMigrate(t *testing.T) {
	t.Run("sqlite fresh file is not current", func(t *testing.T) {
		ctx := context.Background()
		db, err := Open(ctx, filepath.Join(t.TempDir(), "fresh.db"), testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		current, err := db.SchemaCurrent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if current {
			t.Error("SchemaCurrent() = true before Migrate")
		}
	})
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		current, err := db.SchemaCurrent(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !current {
			t.Fatal("SchemaCurrent() = false after Migrate")
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if current, err := db.SchemaCurrent(ctx); err != nil || !current {
			t.Fatalf("SchemaCurrent() after second Migrate = %v, %v", current, err)
		}
	})
}
