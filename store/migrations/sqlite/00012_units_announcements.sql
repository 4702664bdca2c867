-- +goose Up
-- SQLite twin of postgres/00012_units_announcements.sql. SQLite cannot
-- change a CHECK constraint: users and invitations are rebuilt (nothing
-- references them), and the triggers of users made again.
CREATE TABLE units (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces (code)
);
CREATE INDEX units_province_idx ON units (province_code);

ALTER TABLE milestones ADD COLUMN reporters TEXT NOT NULL DEFAULT 'districts'
    CHECK (reporters IN ('districts', 'units'));

CREATE TABLE unit_submissions (
    milestone_id TEXT      NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    unit_code    TEXT      NOT NULL REFERENCES units (code),
    actor        TEXT      NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (milestone_id, unit_code)
);

CREATE TABLE users_new (
    telegram_id INTEGER PRIMARY KEY,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province', 'national', 'unit')),
    scope       TEXT        NOT NULL,
    lang        TEXT        NOT NULL DEFAULT '',
    gone        INTEGER     NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
    gone_at     TIMESTAMP,
    created_at  TIMESTAMP   NOT NULL
);
INSERT INTO users_new (telegram_id, name, role, scope, lang, gone, gone_at, created_at)
    SELECT telegram_id, name, role, scope, lang, gone, gone_at, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_scope_idx ON users (role, scope);
UPDATE generations SET n = n + 1 WHERE name = 'users';
-- +goose StatementBegin
CREATE TRIGGER users_generation_insert AFTER INSERT ON users BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'users';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_generation_update AFTER UPDATE ON users BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'users';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_generation_delete AFTER DELETE ON users BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'users';
END;
-- +goose StatementEnd

CREATE TABLE invitations_new (
    code       TEXT PRIMARY KEY,
    role       TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province', 'national', 'unit')),
    scope      TEXT        NOT NULL,
    name       TEXT        NOT NULL DEFAULT '',
    created_by TEXT        NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    expires_at TIMESTAMP   NOT NULL,
    used_by    INTEGER,
    used_at    TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by TEXT        NOT NULL DEFAULT ''
);
INSERT INTO invitations_new (code, role, scope, name, created_by, created_at, expires_at, used_by, used_at, revoked_at, revoked_by)
    SELECT code, role, scope, name, created_by, created_at, expires_at, used_by, used_at, revoked_at, revoked_by FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_scope_idx ON invitations (role, scope);

CREATE TABLE announcements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id  INTEGER   NOT NULL,
    scope_role TEXT      NOT NULL,
    scope_code TEXT      NOT NULL,
    roles      TEXT      NOT NULL,
    text       TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX announcements_sender_idx ON announcements (sender_id, id);

CREATE TABLE announcement_recipients (
    announcement_id INTEGER   NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    telegram_id     INTEGER   NOT NULL,
    read_at         TIMESTAMP,
    PRIMARY KEY (announcement_id, telegram_id)
);

-- +goose Down
DROP TABLE announcement_recipients;
DROP TABLE announcements;
DELETE FROM users WHERE role = 'unit';
DELETE FROM invitations WHERE role = 'unit';
DROP TABLE unit_submissions;
ALTER TABLE milestones DROP COLUMN reporters;
DROP TABLE units;
