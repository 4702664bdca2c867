-- +goose Up
-- The register of people available for commune posts (graduates of the
-- year, regular officers who can be transferred), issue #19. Dates are
-- calendar days, YYYY-MM-DD text on both backends.
CREATE TABLE candidates (
    id             TEXT PRIMARY KEY,          -- the personnel number the province's file gives
    name           TEXT    NOT NULL,
    rank           TEXT    NOT NULL,          -- a store.Rank code: thieu_uy, dai_uy, ...
    service_since  TEXT    NOT NULL DEFAULT '', -- the day they joined the police, if known
    home_commune   TEXT    NOT NULL REFERENCES communes (code),
    posts          TEXT    NOT NULL DEFAULT '', -- the posts the file lists, comma-separated; empty: any the plan's rule allows
    available_from TEXT    NOT NULL,
    notes          TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'withdrawn', 'posted')),
    posted_commune TEXT    NOT NULL DEFAULT '',
    posted_kind    TEXT    NOT NULL DEFAULT '',
    posted_slot    INTEGER NOT NULL DEFAULT 0,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX candidates_status_idx ON candidates (status, available_from);

-- The register's history, append-only: every person added, changed,
-- withdrawn or posted, by whom, through which file or proposal.
CREATE TABLE candidate_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    action       TEXT NOT NULL CHECK (action IN ('added', 'changed', 'withdrawn', 'returned', 'posted')),
    detail       TEXT NOT NULL DEFAULT '',
    actor        TEXT NOT NULL,
    source       TEXT NOT NULL DEFAULT '',
    at           TIMESTAMP NOT NULL
);
CREATE INDEX candidate_events_candidate_idx ON candidate_events (candidate_id, at);

-- The plan's rule of who may be proposed for which post (the plan file's
-- eligibility section), as JSON; empty: no rule.
ALTER TABLE plans ADD COLUMN eligibility TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE plans DROP COLUMN eligibility;
DROP TABLE candidate_events;
DROP TABLE candidates;
