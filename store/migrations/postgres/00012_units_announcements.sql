-- +goose Up
-- Reporting units besides districts (sở, ngành: Sở Nội vụ, Phòng Tổ chức
-- cán bộ Công an tỉnh), their users and what they file; and
-- announcements sent to everyone in a scope, with who has read them
-- (issue #16, items 3 and 4).
CREATE TABLE units (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces (code)
);
CREATE INDEX units_province_idx ON units (province_code);

-- A district_report milestone asks its report of the districts, or of
-- the reporting units.
ALTER TABLE milestones ADD COLUMN reporters TEXT NOT NULL DEFAULT 'districts'
    CHECK (reporters IN ('districts', 'units'));

-- What a reporting unit filed: submissions' twin (whose district_code
-- references districts).
CREATE TABLE unit_submissions (
    milestone_id TEXT        NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    unit_code    TEXT        NOT NULL REFERENCES units (code),
    actor        TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (milestone_id, unit_code)
);

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('commune', 'district', 'province', 'national', 'unit'));
ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_role_check CHECK (role IN ('commune', 'district', 'province', 'national', 'unit'));

-- An announcement: its text, who sent it to which scope and roles. The
-- messages themselves go through the outbox, one item per recipient.
CREATE TABLE announcements (
    id         BIGSERIAL PRIMARY KEY,
    sender_id  BIGINT      NOT NULL,
    scope_role TEXT        NOT NULL,
    scope_code TEXT        NOT NULL,
    roles      TEXT        NOT NULL, -- the roles addressed, comma-separated
    text       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX announcements_sender_idx ON announcements (sender_id, id);

-- Everyone an announcement was addressed to, and when they pressed
-- "Đã đọc" (the first press counts).
CREATE TABLE announcement_recipients (
    announcement_id BIGINT      NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    telegram_id     BIGINT      NOT NULL,
    read_at         TIMESTAMPTZ,
    PRIMARY KEY (announcement_id, telegram_id)
);

-- +goose Down
DROP TABLE announcement_recipients;
DROP TABLE announcements;
DELETE FROM users WHERE role = 'unit';
DELETE FROM invitations WHERE role = 'unit';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('commune', 'district', 'province', 'national'));
ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_role_check CHECK (role IN ('commune', 'district', 'province', 'national'));
DROP TABLE unit_submissions;
ALTER TABLE milestones DROP COLUMN reporters;
DROP TABLE units;
