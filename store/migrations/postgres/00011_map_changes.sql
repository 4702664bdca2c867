-- +goose Up
-- The administrative map changes during a plan (issue 16): a commune or a
-- district that a change ends keeps its row, so that its reports, users'
-- history and the state on an earlier date stay readable, and is told
-- apart by valid_to, the moment the change took effect; successor names
-- the unit that took it over. A unit a change creates has valid_from. A
-- district that is direct is the province itself, holding the communes
-- once the district level is abolished.
ALTER TABLE communes ADD COLUMN valid_from TIMESTAMPTZ;
ALTER TABLE communes ADD COLUMN valid_to TIMESTAMPTZ;
ALTER TABLE communes ADD COLUMN successor TEXT NOT NULL DEFAULT '';
ALTER TABLE districts ADD COLUMN valid_from TIMESTAMPTZ;
ALTER TABLE districts ADD COLUMN valid_to TIMESTAMPTZ;
ALTER TABLE districts ADD COLUMN successor TEXT NOT NULL DEFAULT '';
ALTER TABLE districts ADD COLUMN direct BOOLEAN NOT NULL DEFAULT FALSE;

-- A report a change wrote when it carried a post to the commune that took
-- over its own names the post it was ("04852/chief/1"): it records no
-- change of the post, only where it came from, and questions about
-- changes leave it out.
ALTER TABLE reports ADD COLUMN carried TEXT NOT NULL DEFAULT '';

-- What a commune was (name, type, district) until a change moved or
-- renamed it: the state on an earlier date reads the row whose until is
-- the first after that date.
CREATE TABLE commune_past (
    code          TEXT        NOT NULL REFERENCES communes (code),
    name          TEXT        NOT NULL,
    type          TEXT        NOT NULL,
    district_code TEXT        NOT NULL,
    until         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (code, until)
);

-- Each line of an imported change file, as applied: what the bot answers
-- when asked about a unit that is gone.
CREATE TABLE map_changes (
    id            BIGSERIAL PRIMARY KEY,
    effective     TIMESTAMPTZ NOT NULL,
    kind          TEXT        NOT NULL,
    old_codes     TEXT        NOT NULL,
    new_code      TEXT        NOT NULL DEFAULT '',
    new_name      TEXT        NOT NULL DEFAULT '',
    district_code TEXT        NOT NULL DEFAULT '',
    source        TEXT        NOT NULL,
    at            TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE map_changes;
DROP TABLE commune_past;
ALTER TABLE reports DROP COLUMN carried;
ALTER TABLE districts DROP COLUMN direct;
ALTER TABLE districts DROP COLUMN successor;
ALTER TABLE districts DROP COLUMN valid_to;
ALTER TABLE districts DROP COLUMN valid_from;
ALTER TABLE communes DROP COLUMN successor;
ALTER TABLE communes DROP COLUMN valid_to;
ALTER TABLE communes DROP COLUMN valid_from;
