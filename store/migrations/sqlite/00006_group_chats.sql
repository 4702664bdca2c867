-- +goose Up
-- SQLite twin of postgres/00006_group_chats.sql.
CREATE TABLE group_chats (
    chat_id  BIGINT    PRIMARY KEY,
    role     TEXT      NOT NULL CHECK (role IN ('district', 'province')),
    scope    TEXT      NOT NULL,
    title    TEXT      NOT NULL DEFAULT '',
    lang     TEXT      NOT NULL DEFAULT '',
    bound_by BIGINT    NOT NULL,
    bound_at TIMESTAMP NOT NULL
);
CREATE INDEX group_chats_scope_idx ON group_chats (role, scope);

-- +goose Down
DROP TABLE group_chats;
