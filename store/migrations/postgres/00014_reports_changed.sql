-- +goose Up
-- The reports that changed a post which existed before (every other one
-- created its post): the posts with more than one report, found by their
-- communes without reading each commune's reports. A forecast's counts at
-- the start of its window put those posts back as they were then
-- (store.DB.CountStatusesSince).
CREATE INDEX reports_changed_idx ON reports (commune_code, kind, slot) WHERE old_status <> '';

-- +goose Down
DROP INDEX reports_changed_idx;
