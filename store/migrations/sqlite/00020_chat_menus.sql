-- +goose Up
-- SQLite twin of postgres/00020_chat_menus.sql.
CREATE TABLE chat_menus (
    chat_id    INTEGER PRIMARY KEY,
    wanted     TEXT      NOT NULL,
    n          INTEGER   NOT NULL,
    outbox_key TEXT      NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_menu_idx ON outbox (id) WHERE kind = 'menu';

-- +goose Down
DROP INDEX outbox_menu_idx;
DROP TABLE chat_menus;
