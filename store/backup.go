package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupNotSQLite is Backup's answer on Postgres, whose own tools
// (pg_dump) make consistent copies.
var ErrBackupNotSQLite = errors.New("store: backup copies the SQLite file only; use pg_dump for Postgres")

// Backup writes a consistent copy of the SQLite store to path, while the
// service keeps running: VACUUM INTO reads one snapshot of the database
// (WAL readers never block the writer) and writes it out compacted. The
// copy is written beside path and renamed into place once checked, so a
// failed backup leaves no half file. path must not exist.
func (db *DB) Backup(ctx context.Context, path string) (int64, error) {
	if db.dialect != DialectSQLite {
		return 0, ErrBackupNotSQLite
	}
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("store: backup to %s: %w", path, os.ErrExist)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	tmp.Close()
	os.Remove(tmp.Name()) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmp.Name())
	if _, err := db.db.ExecContext(ctx, "VACUUM INTO $1", tmp.Name()); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	copyDB, err := Open(ctx, "sqlite:"+tmp.Name(), nil)
	if err != nil {
		return 0, fmt.Errorf("store: backup: check the copy: %w", err)
	}
	var check string
	err = copyDB.db.GetContext(ctx, &check, "PRAGMA quick_check")
	copyDB.Close()
	if err != nil || check != "ok" {
		return 0, fmt.Errorf("store: backup: the copy fails its check (%s): %v", check, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	return fi.Size(), nil
}
