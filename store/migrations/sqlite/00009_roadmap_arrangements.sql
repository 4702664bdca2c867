-- +goose Up
-- SQLite twin of postgres/00009_roadmap_arrangements.sql.
ALTER TABLE milestones ADD COLUMN roadmap TEXT NOT NULL DEFAULT '{}';

CREATE INDEX reports_post_at_idx ON reports (commune_code, kind, slot, at, id);

CREATE INDEX reports_replaced_idx ON reports (at) WHERE old_status = 'semi' AND new_status = 'regular';

CREATE TABLE arrangements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id   INTEGER   NOT NULL REFERENCES reports (id),
    arrangement TEXT      NOT NULL CHECK (arrangement IN ('retired', 'transferred', 'supporting', 'unassigned')),
    actor       TEXT      NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX arrangements_report_idx ON arrangements (report_id, at);

-- +goose Down
DROP TABLE arrangements;
DROP INDEX reports_replaced_idx;
DROP INDEX reports_post_at_idx;
ALTER TABLE milestones DROP COLUMN roadmap;
