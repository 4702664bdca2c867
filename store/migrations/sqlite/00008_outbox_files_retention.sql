-- +goose Up
-- SQLite twin of postgres/00008_outbox_files_retention.sql.
-- Files the outbox sends (a weekly digest's chart and workbook), stored
-- once whatever the number of recipients, named by the SHA-256 of their
-- content; an outbox item names its file in file_hash.
CREATE TABLE outbox_files (
    hash       TEXT      PRIMARY KEY,
    data       BLOB      NOT NULL,
    created_at TIMESTAMP NOT NULL
);
ALTER TABLE outbox ADD COLUMN file_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_file_idx ON outbox (file_hash) WHERE file_hash <> '';
-- The retention job looks for settled items by their due day.
CREATE INDEX outbox_settled_idx ON outbox (due_at) WHERE state <> 'pending';

-- What the retention job keeps of the outbox items it prunes, with their
-- deliveries and payloads: who was sent which occasion (the key names it,
-- such as remind:chief-q1-2020:before:7:<chat>), and when.
CREATE TABLE outbox_archive (
    key      TEXT      PRIMARY KEY,
    chat_id  BIGINT    NOT NULL,
    kind     TEXT      NOT NULL,
    state    TEXT      NOT NULL,
    attempts INTEGER   NOT NULL,
    due_at   TIMESTAMP NOT NULL,
    sent_at  TIMESTAMP
);
CREATE INDEX outbox_archive_chat_idx ON outbox_archive (chat_id, due_at);

-- Every change to users moves the 'users' generation, whatever makes it
-- (the bot, caxbot users, an import, the outbox marking a user gone):
-- replicas keep users in memory while it stands still.
INSERT INTO generations (name, n) VALUES ('users', 1);
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

-- +goose Down
DROP TRIGGER users_generation_delete;
DROP TRIGGER users_generation_update;
DROP TRIGGER users_generation_insert;
DELETE FROM generations WHERE name = 'users';
DROP TABLE outbox_archive;
DROP INDEX outbox_settled_idx;
DROP INDEX outbox_file_idx;
ALTER TABLE outbox DROP COLUMN file_hash;
DROP TABLE outbox_files;
