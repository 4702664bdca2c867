-- +goose Up
-- SQLite twin of postgres/00007_onboarding.sql.
ALTER TABLE invitations ADD COLUMN revoked_at TIMESTAMP;
ALTER TABLE invitations ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';
CREATE INDEX invitations_scope_idx ON invitations (role, scope);

CREATE TABLE plan_versions (
    version    INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    TEXT        NOT NULL,
    title_vi   TEXT        NOT NULL,
    milestones INTEGER     NOT NULL,
    body       TEXT        NOT NULL,
    digest     TEXT        NOT NULL,
    source     TEXT        NOT NULL,
    loaded_by  TEXT        NOT NULL,
    loaded_at  TIMESTAMP   NOT NULL
);

CREATE TABLE service_facts (
    name       TEXT PRIMARY KEY,
    value      TEXT        NOT NULL,
    updated_at TIMESTAMP   NOT NULL
);

-- +goose Down
DROP TABLE service_facts;
DROP TABLE plan_versions;
DROP INDEX invitations_scope_idx;
ALTER TABLE invitations DROP COLUMN revoked_by;
ALTER TABLE invitations DROP COLUMN revoked_at;
