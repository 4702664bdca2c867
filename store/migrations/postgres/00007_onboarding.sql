-- +goose Up
-- A pending invitation can be revoked (caxbot invite revoke): it is kept,
-- with who revoked it and when, and can no longer be redeemed.
ALTER TABLE invitations ADD COLUMN revoked_at TIMESTAMPTZ;
ALTER TABLE invitations ADD COLUMN revoked_by TEXT NOT NULL DEFAULT '';
CREATE INDEX invitations_scope_idx ON invitations (role, scope);

-- Every plan ever loaded, as it was loaded: plan load replaces the active
-- plan (the plans and milestones tables) and keeps the versions here.
CREATE TABLE plan_versions (
    version    BIGSERIAL PRIMARY KEY,
    plan_id    TEXT        NOT NULL,
    title_vi   TEXT        NOT NULL,
    milestones INTEGER     NOT NULL,
    body       TEXT        NOT NULL,
    digest     TEXT        NOT NULL,
    source     TEXT        NOT NULL,
    loaded_by  TEXT        NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);

-- What the service learnt about itself that commands run beside it need:
-- the bot's username from getMe, for invitation links.
CREATE TABLE service_facts (
    name       TEXT PRIMARY KEY,
    value      TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE service_facts;
DROP TABLE plan_versions;
DROP INDEX invitations_scope_idx;
ALTER TABLE invitations DROP COLUMN revoked_by;
ALTER TABLE invitations DROP COLUMN revoked_at;
