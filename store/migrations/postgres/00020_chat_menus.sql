-- +goose Up
-- The command menu last queued for each private chat (bot/menus.go): what
-- it sets ("<role>:<digest of the menu>"), how many menus the chat was
-- queued (the next one is the n+1st) and the outbox key of the last. The
-- menus' sync finds the chats whose menu is not their user's role's, and
-- those of removed users, by comparing users with this table in one query,
-- never reading the outbox; /start finds whether the last menu failed by
-- its key. Written with the menu's outbox item, in one transaction.
CREATE TABLE chat_menus (
    chat_id    BIGINT PRIMARY KEY,
    wanted     TEXT        NOT NULL,
    n          BIGINT      NOT NULL,
    outbox_key TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- The newest menu items, by id, whatever the rest of the outbox holds: a
-- sync counts those not sent yet (store.DB.PendingMenus) so that menus
-- never pile up in front of the reminders.
CREATE INDEX outbox_menu_idx ON outbox (id) WHERE kind = 'menu';

-- +goose Down
DROP INDEX outbox_menu_idx;
DROP TABLE chat_menus;
