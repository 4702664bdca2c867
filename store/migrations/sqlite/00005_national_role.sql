-- +goose Up
-- SQLite twin of postgres/00005_national_role.sql. SQLite cannot change a
-- CHECK constraint: the two tables are rebuilt (nothing references them).
CREATE TABLE users_new (
    telegram_id INTEGER PRIMARY KEY,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province', 'national')),
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

CREATE TABLE invitations_new (
    code       TEXT PRIMARY KEY,
    role       TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province', 'national')),
    scope      TEXT        NOT NULL,
    name       TEXT        NOT NULL DEFAULT '',
    created_by TEXT        NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    expires_at TIMESTAMP   NOT NULL,
    used_by    INTEGER,
    used_at    TIMESTAMP
);
INSERT INTO invitations_new (code, role, scope, name, created_by, created_at, expires_at, used_by, used_at)
    SELECT code, role, scope, name, created_by, created_at, expires_at, used_by, used_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;

-- +goose Down
DELETE FROM users WHERE role = 'national';
DELETE FROM invitations WHERE role = 'national';
CREATE TABLE users_old (
    telegram_id INTEGER PRIMARY KEY,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province')),
    scope       TEXT        NOT NULL,
    lang        TEXT        NOT NULL DEFAULT '',
    gone        INTEGER     NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
    gone_at     TIMESTAMP,
    created_at  TIMESTAMP   NOT NULL
);
INSERT INTO users_old SELECT telegram_id, name, role, scope, lang, gone, gone_at, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE INDEX users_scope_idx ON users (role, scope);
CREATE TABLE invitations_old (
    code       TEXT PRIMARY KEY,
    role       TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province')),
    scope      TEXT        NOT NULL,
    name       TEXT        NOT NULL DEFAULT '',
    created_by TEXT        NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    expires_at TIMESTAMP   NOT NULL,
    used_by    INTEGER,
    used_at    TIMESTAMP
);
INSERT INTO invitations_old SELECT code, role, scope, name, created_by, created_at, expires_at, used_by, used_at FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_old RENAME TO invitations;
