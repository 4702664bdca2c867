-- +goose Up
-- What a reporter typed about a report's decision and the holder that the
-- bot did not read as a number, date, issuer, rank, training or
-- qualification ("đồng chí chuyển từ Công an huyện Mai Châu về"), kept as
-- typed: an officer's words are never dropped.
ALTER TABLE report_details ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE report_details DROP COLUMN note;
