-- +goose Up
-- SQLite twin of postgres/00002_reminders.sql.
-- The outbox is claimed with a lease: the replica named lease_owner sends
-- the item until lease_until; after that (it died mid-send) another may.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until TIMESTAMP;

-- Every attempt to deliver an outbox item, whatever came of it.
CREATE TABLE deliveries (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id BIGINT      NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    chat_id   BIGINT      NOT NULL,
    outcome   TEXT        NOT NULL CHECK (outcome IN ('sent', 'gone', 'retry', 'failed')),
    error     TEXT        NOT NULL DEFAULT '',
    at        TIMESTAMP   NOT NULL
);
CREATE INDEX deliveries_outbox_idx ON deliveries (outbox_id);

-- A district head's "Đã nhận" under a milestone's reminder; every press is kept.
CREATE TABLE acks (
    chat_id      BIGINT      NOT NULL,
    milestone_id TEXT        NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    at           TIMESTAMP   NOT NULL,
    PRIMARY KEY (chat_id, milestone_id, at)
);

-- When a commune behind on a milestone was first named to its district
-- (level district) and to the province (level province).
CREATE TABLE escalations (
    milestone_id TEXT        NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    commune_code TEXT        NOT NULL REFERENCES communes (code),
    level        TEXT        NOT NULL CHECK (level IN ('district', 'province')),
    at           TIMESTAMP   NOT NULL,
    PRIMARY KEY (milestone_id, commune_code, level)
);

-- The last completed run of each scheduled job, for catching up.
CREATE TABLE job_runs (
    name     TEXT PRIMARY KEY,
    last_run TIMESTAMP   NOT NULL
);

-- Each weekly digest's done/total per milestone and district, so that the
-- next one shows the exact change.
CREATE TABLE digest_snapshots (
    week          TEXT        NOT NULL,
    milestone_id  TEXT        NOT NULL,
    district_code TEXT        NOT NULL,
    done          INTEGER     NOT NULL,
    total         INTEGER     NOT NULL,
    taken_at      TIMESTAMP   NOT NULL,
    PRIMARY KEY (week, milestone_id, district_code)
);

-- +goose Down
DROP TABLE digest_snapshots;
DROP TABLE job_runs;
DROP TABLE escalations;
DROP TABLE acks;
DROP TABLE deliveries;
ALTER TABLE outbox DROP COLUMN lease_until;
ALTER TABLE outbox DROP COLUMN lease_owner;
