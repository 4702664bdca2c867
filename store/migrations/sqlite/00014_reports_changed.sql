-- +goose Up
-- SQLite twin of postgres/00014_reports_changed.sql.
CREATE INDEX reports_changed_idx ON reports (commune_code, kind, slot) WHERE old_status <> '';

-- +goose Down
DROP INDEX reports_changed_idx;
