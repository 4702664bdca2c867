package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// PutOutboxFile stores a file the outbox sends, once: a weekly digest's
// chart or workbook goes to every recipient of its scope, and each of
// their items names the file (OutboxItem.FileRef) instead of carrying a
// copy. It returns the file's reference, the hex SHA-256 of its content;
// storing the same content again changes nothing.
func (db *DB) PutOutboxFile(ctx context.Context, data []byte, at time.Time) (string, error) {
	sum := sha256.Sum256(data)
	ref := hex.EncodeToString(sum[:])
	_, err := db.db.ExecContext(ctx, `INSERT INTO outbox_files (hash, data, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (hash) DO NOTHING`, ref, data, utc(at))
	if err != nil {
		return "", fmt.Errorf("store: write outbox file of %d bytes: %w", len(data), err)
	}
	return ref, nil
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
