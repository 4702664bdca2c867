-- +goose Up
-- SQLite twin of postgres/00001_init.sql. Times are TIMESTAMP text in UTC
-- (the driver parses that declared type back into time.Time); dates are TEXT
-- YYYY-MM-DD, so that the driver hands them back as the plain date.
CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE districts (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces (code)
);
CREATE INDEX districts_province_idx ON districts (province_code);

CREATE TABLE communes (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL CHECK (type IN ('xã', 'thị trấn', 'phường')),
    district_code TEXT NOT NULL REFERENCES districts (code)
);
CREATE INDEX communes_district_idx ON communes (district_code);

CREATE TABLE posts (
    commune_code TEXT    NOT NULL REFERENCES communes (code),
    kind         TEXT    NOT NULL CHECK (kind IN ('chief', 'deputy', 'officer')),
    slot         INTEGER NOT NULL CHECK (slot >= 1),
    status       TEXT    NOT NULL CHECK (status IN ('regular', 'semi', 'vacant')),
    holder       TEXT    NOT NULL DEFAULT '',
    since        TEXT,
    PRIMARY KEY (commune_code, kind, slot)
);
-- The vacancy query walks a district's communes and needs only their posts
-- that are not yet regular: a small partial index per commune.
CREATE INDEX posts_open_idx ON posts (commune_code, kind, slot) WHERE status <> 'regular';

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_code TEXT        NOT NULL REFERENCES communes (code),
    kind         TEXT        NOT NULL,
    slot         INTEGER     NOT NULL,
    old_status   TEXT        NOT NULL DEFAULT '',
    new_status   TEXT        NOT NULL,
    old_holder   TEXT        NOT NULL DEFAULT '',
    new_holder   TEXT        NOT NULL DEFAULT '',
    since        TEXT,
    actor        TEXT        NOT NULL,
    source       TEXT        NOT NULL DEFAULT '',
    at           TIMESTAMP   NOT NULL
);
CREATE INDEX reports_commune_at_idx ON reports (commune_code, at);
CREATE INDEX reports_at_idx ON reports (at);

CREATE TABLE users (
    telegram_id INTEGER PRIMARY KEY,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province')),
    scope       TEXT        NOT NULL,
    lang        TEXT        NOT NULL DEFAULT '',
    gone        INTEGER     NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
    gone_at     TIMESTAMP,
    created_at  TIMESTAMP   NOT NULL
);
CREATE INDEX users_scope_idx ON users (role, scope);

CREATE TABLE invitations (
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

CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TIMESTAMP   NOT NULL,
    actor  TEXT        NOT NULL,
    action TEXT        NOT NULL,
    detail TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX audit_at_idx ON audit (at);

CREATE TABLE plans (
    id       TEXT PRIMARY KEY,
    title_vi TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE milestones (
    id         TEXT PRIMARY KEY,
    plan_id    TEXT    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    title_vi   TEXT    NOT NULL,
    title_en   TEXT    NOT NULL DEFAULT '',
    kind       TEXT    NOT NULL CHECK (kind IN ('posts', 'district_report')),
    selector   TEXT    NOT NULL DEFAULT '{}',
    posts      TEXT    NOT NULL DEFAULT '[]',
    target     TEXT    NOT NULL DEFAULT '',
    start_date TEXT    NOT NULL,
    deadline   TEXT    NOT NULL,
    reminders  TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX milestones_plan_idx ON milestones (plan_id, seq);

CREATE TABLE submissions (
    milestone_id  TEXT        NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    district_code TEXT        NOT NULL REFERENCES districts (code),
    actor         TEXT        NOT NULL,
    at            TIMESTAMP   NOT NULL,
    PRIMARY KEY (milestone_id, district_code)
);

CREATE TABLE commune_groups (
    group_name   TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    PRIMARY KEY (group_name, commune_code)
);

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    key          TEXT        NOT NULL UNIQUE,
    chat_id      INTEGER     NOT NULL,
    kind         TEXT        NOT NULL,
    payload      TEXT        NOT NULL DEFAULT '{}',
    due_at       TIMESTAMP   NOT NULL,
    state        TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'gone', 'failed')),
    attempts     INTEGER     NOT NULL DEFAULT 0,
    next_attempt TIMESTAMP   NOT NULL,
    sent_at      TIMESTAMP,
    last_error   TEXT        NOT NULL DEFAULT '',
    created_at   TIMESTAMP   NOT NULL
);
CREATE INDEX outbox_due_idx ON outbox (state, next_attempt);

-- +goose Down
DROP TABLE outbox;
DROP TABLE commune_groups;
DROP TABLE submissions;
DROP TABLE milestones;
DROP TABLE plans;
DROP TABLE audit;
DROP TABLE invitations;
DROP TABLE users;
DROP TABLE reports;
DROP TABLE posts;
DROP TABLE communes;
DROP TABLE districts;
DROP TABLE provinces;
