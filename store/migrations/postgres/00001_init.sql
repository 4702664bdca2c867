-- +goose Up
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
    since        DATE,
    PRIMARY KEY (commune_code, kind, slot)
);
-- The vacancy query walks a district's communes and needs only their posts
-- that are not yet regular: a small partial index per commune.
CREATE INDEX posts_open_idx ON posts (commune_code, kind, slot) WHERE status <> 'regular';

CREATE TABLE reports (
    id           BIGSERIAL PRIMARY KEY,
    commune_code TEXT        NOT NULL REFERENCES communes (code),
    kind         TEXT        NOT NULL,
    slot         INTEGER     NOT NULL,
    old_status   TEXT        NOT NULL DEFAULT '',
    new_status   TEXT        NOT NULL,
    old_holder   TEXT        NOT NULL DEFAULT '',
    new_holder   TEXT        NOT NULL DEFAULT '',
    since        DATE,
    actor        TEXT        NOT NULL,
    source       TEXT        NOT NULL DEFAULT '',
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX reports_commune_at_idx ON reports (commune_code, at);
CREATE INDEX reports_at_idx ON reports (at);

CREATE TABLE users (
    telegram_id BIGINT PRIMARY KEY,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province')),
    scope       TEXT        NOT NULL,
    lang        TEXT        NOT NULL DEFAULT '',
    gone        BOOLEAN     NOT NULL DEFAULT FALSE,
    gone_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_scope_idx ON users (role, scope);

CREATE TABLE invitations (
    code       TEXT PRIMARY KEY,
    role       TEXT        NOT NULL CHECK (role IN ('commune', 'district', 'province')),
    scope      TEXT        NOT NULL,
    name       TEXT        NOT NULL DEFAULT '',
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_by    BIGINT,
    used_at    TIMESTAMPTZ
);

CREATE TABLE audit (
    id     BIGSERIAL PRIMARY KEY,
    at     TIMESTAMPTZ NOT NULL,
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
    start_date DATE    NOT NULL,
    deadline   DATE    NOT NULL,
    reminders  TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX milestones_plan_idx ON milestones (plan_id, seq);

CREATE TABLE submissions (
    milestone_id  TEXT        NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    district_code TEXT        NOT NULL REFERENCES districts (code),
    actor         TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (milestone_id, district_code)
);

CREATE TABLE commune_groups (
    group_name   TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    PRIMARY KEY (group_name, commune_code)
);

CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    key          TEXT        NOT NULL UNIQUE,
    chat_id      BIGINT      NOT NULL,
    kind         TEXT        NOT NULL,
    payload      TEXT        NOT NULL DEFAULT '{}',
    due_at       TIMESTAMPTZ NOT NULL,
    state        TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'gone', 'failed')),
    attempts     INTEGER     NOT NULL DEFAULT 0,
    next_attempt TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ,
    last_error   TEXT        NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL
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
