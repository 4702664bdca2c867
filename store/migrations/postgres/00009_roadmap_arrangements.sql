-- +goose Up
-- A milestone's roadmap: the goal it asks for (a share of its posts, or a
-- count per commune) and its yearly steps, as JSON ({"goal": {...},
-- "steps": [{"by": "2021-12-31", "goal": {...}}]}); '{}' asks for every
-- post, as before.
ALTER TABLE milestones ADD COLUMN roadmap TEXT NOT NULL DEFAULT '{}';

-- The state on a date is each post's last report before it: this index
-- finds a post's reports in the order of their time.
CREATE INDEX reports_post_at_idx ON reports (commune_code, kind, slot, at, id);

-- The reports that put regular police in a post a semi-professional held:
-- the people replaced, whose arrangement the conference asked for.
CREATE INDEX reports_replaced_idx ON reports (at) WHERE old_status = 'semi' AND new_status = 'regular';

-- What becomes of a person replaced, as reported, every answer kept
-- (append-only): the latest before a date is the arrangement on that date.
-- No row: not said yet, which counts as "chưa bố trí".
CREATE TABLE arrangements (
    id          BIGSERIAL   PRIMARY KEY,
    report_id   BIGINT      NOT NULL REFERENCES reports (id),
    arrangement TEXT        NOT NULL CHECK (arrangement IN ('retired', 'transferred', 'supporting', 'unassigned')),
    actor       TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX arrangements_report_idx ON arrangements (report_id, at);

-- +goose Down
DROP TABLE arrangements;
DROP INDEX reports_replaced_idx;
DROP INDEX reports_post_at_idx;
ALTER TABLE milestones DROP COLUMN roadmap;
