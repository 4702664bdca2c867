package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// provider builds a goose provider for the dialect's migrations. It is
// built per call, not kept: migrating is rare and the provider is cheap.
func (db *DB) provider() (*goose.Provider, error) {
	var (
		dialect goose.Dialect
		dir     string
		opts    = []goose.ProviderOption{
			goose.WithDisableGlobalRegistry(true),
			goose.WithSlog(db.logger),
		}
	)
	switch db.dialect {
	case DialectPostgres:
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
		// Several replicas may start at once: one migrates, the others wait.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(db.lockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case DialectSQLite:
		dialect, dir = goose.DialectSQLite3, "migrations/sqlite"
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrations of %s: %w", db.dialect, err)
	}
	p, err := goose.NewProvider(dialect, db.db.DB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations of %s: %w", db.dialect, err)
	}
	return p, nil
}

// Migrate applies the migrations the database lacks.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate %s: %w", db.dialect, err)
	}
	for _, r := range results {
		db.logger.Info("migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	_, err = db.Plans(ctx) // learns how the plans count (DB.verified)
	return err
}

// SchemaCurrent reports whether every migration this binary knows has been
// applied. A database ahead of the binary counts as current: migrations
// only add, so an older replica keeps working during a rollout.
func (db *DB) SchemaCurrent(ctx context.Context) (bool, error) {
	// A database never migrated has no version table, which goose reports
	// as an error; for the caller it is simply not current.
	var exists bool
	var q string
	switch db.dialect {
	case DialectPostgres:
		q = "SELECT to_regclass('goose_db_version') IS NOT NULL"
	case DialectSQLite:
		q = "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'"
	}
	if err := db.db.GetContext(ctx, &exists, q); err != nil {
		return false, fmt.Errorf("store: check schema of %s: %w", db.dialect, err)
	}
	if !exists {
		return false, nil
	}
	p, err := db.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("store: check schema of %s: %w", db.dialect, err)
	}
	if pending {
		return false, nil
	}
	_, err = db.Plans(ctx) // learns how the plans count (DB.verified)
	return err == nil, err
}
