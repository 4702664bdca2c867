-- +goose Up
-- Group chats a district head or a provincial user bound to their own
-- scope with /gannhom: the bot answers questions about that scope there,
-- and sends that scope's reminders (district) or digest (province) there
-- too. Any other group gets no data, only a pointer to the private chat.
CREATE TABLE group_chats (
    chat_id  BIGINT      PRIMARY KEY,
    role     TEXT        NOT NULL CHECK (role IN ('district', 'province')),
    scope    TEXT        NOT NULL,
    title    TEXT        NOT NULL DEFAULT '',
    lang     TEXT        NOT NULL DEFAULT '',
    bound_by BIGINT      NOT NULL,
    bound_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX group_chats_scope_idx ON group_chats (role, scope);

-- +goose Down
DROP TABLE group_chats;
