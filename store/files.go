package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// PutOutboxFile stores a file the outbox sends, once: a weekly digest's
// chart or workbook goes to every recipient of its scope, and each of
// their items names the file (OutboxItem.FileRef) instead of carrying a
// copy. It returns the file's reference, the hex SHA-256 of its content;
// storing the same content again changes nothing.
func (db *DB) PutOutboxFile(ctx context.Context, data []byte, at time.Time) (string, error) {
	refs, err := db.PutOutboxFiles(ctx, [][]byte{data}, at)
	if err != nil {
		return "", err
	}
	return refs[0], nil
}

// PutOutboxFiles is PutOutboxFile for several files, in one statement and
// one commit: a digest's chart and workbook are written together, where
// a commit each made the weekly job wait for twice as many flushes to
// disk. It returns the references in the order of files.
func (db *DB) PutOutboxFiles(ctx context.Context, files [][]byte, at time.Time) ([]string, error) {
	refs := make([]string, len(files))
	a := db.bulkArgs()
	var rows []string
	size := 0
	for i, data := range files {
		sum := sha256.Sum256(data)
		refs[i] = hex.EncodeToString(sum[:])
		// The same content twice is one file.
		if slices.Contains(refs[:i], refs[i]) {
			continue
		}
		rows = append(rows, "("+list(a, []any{refs[i], data, utc(at)})+")")
		size += len(data)
	}
	if len(rows) == 0 {
		return refs, nil
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO outbox_files (hash, data, created_at) VALUES "+strings.Join(rows, ", ")+
			" ON CONFLICT (hash) DO NOTHING", a.args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: write %d outbox files of %d bytes: %w", len(rows), size, err)
	}
	return refs, nil
}

// OutboxFile returns a file PutOutboxFile stored; ErrNotFound when there
// is none by that reference (the retention job removed it).
func (db *DB) OutboxFile(ctx context.Context, ref string) ([]byte, error) {
	var data []byte
	err := db.db.GetContext(ctx, &data, "SELECT data FROM outbox_files WHERE hash = $1", ref)
	if isNoRows(err) {
		return nil, fmt.Errorf("store: outbox file %.12s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: read outbox file %.12s: %w", ref, err)
	}
	return data, nil
}
