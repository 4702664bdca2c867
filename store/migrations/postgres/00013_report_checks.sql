-- +goose Up
-- Issue #18: what stands behind a report. A report made in the chat or the
-- Mini App has one row here: the appointment decision it rests on (number,
-- day, issuing body, the photo or PDF sent), the holder's rank, training
-- and qualification, and the district's check. Reports without a row
-- (imports, reports older than this) are the province's own and count as
-- checked.
CREATE TABLE report_details (
    report_id       BIGINT      PRIMARY KEY REFERENCES reports (id),
    decision_no     TEXT        NOT NULL DEFAULT '',
    decision_date   DATE,
    decision_issuer TEXT        NOT NULL DEFAULT '',
    file_id         TEXT        NOT NULL DEFAULT '', -- Telegram's file_id of the photo or PDF
    file_name       TEXT        NOT NULL DEFAULT '',
    rank            TEXT        NOT NULL DEFAULT '', -- a store.Rank code
    training        TEXT        NOT NULL DEFAULT '',
    qualification   TEXT        NOT NULL DEFAULT '',
    -- reported: waiting for the district; verified; returned: sent back
    -- with reason, waiting for the reporter's correction.
    check_state     TEXT        NOT NULL DEFAULT 'reported' CHECK (check_state IN ('reported', 'verified', 'returned')),
    checked_by      TEXT        NOT NULL DEFAULT '',
    checked_at      TIMESTAMPTZ,
    reason          TEXT        NOT NULL DEFAULT '',
    -- since when the report waits for the district (reported, or last
    -- corrected), for the working days it may wait.
    waiting_since   TIMESTAMPTZ NOT NULL,
    escalated_at    TIMESTAMPTZ
);
CREATE INDEX report_details_waiting_idx ON report_details (check_state, waiting_since);

-- Our own copy of every decision file, so that a file Telegram no longer
-- serves is still shown and exported.
CREATE TABLE decision_files (
    file_id    TEXT        PRIMARY KEY,
    report_id  BIGINT      NOT NULL REFERENCES reports (id),
    name       TEXT        NOT NULL DEFAULT '',
    mime       TEXT        NOT NULL DEFAULT '',
    data       BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX decision_files_report_idx ON decision_files (report_id);

-- Whether the plan's milestones count reported changes or only those the
-- district verified.
ALTER TABLE plans ADD COLUMN counts TEXT NOT NULL DEFAULT 'reported' CHECK (counts IN ('reported', 'verified'));

-- +goose Down
ALTER TABLE plans DROP COLUMN counts;
DROP TABLE decision_files;
DROP TABLE report_details;
