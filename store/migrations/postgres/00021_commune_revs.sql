-- +goose Up
-- Which communes' counted posts changed, and by which transaction: a
-- process that keeps the posts in memory (store/current.go) reads again
-- only the communes whose row moved. Every write that can change how a
-- post counts (its row, its reports, their checks) touches its commune's
-- row, whatever makes it (the bot, an import, a map change, the CLI).
--
-- rev is the writer's transaction id: a reader that remembers the oldest
-- transaction still running at its last look (its snapshot's xmin) finds
-- every change it has not seen among the rows with rev at or above it,
-- with no lock or counter that would serialise the writers.
CREATE TABLE commune_revs (
    commune_code TEXT   PRIMARY KEY,
    rev          BIGINT NOT NULL
);
CREATE INDEX commune_revs_rev_idx ON commune_revs (rev);
INSERT INTO commune_revs (commune_code, rev) SELECT code, 0 FROM communes;

-- One statement per statement of the writer, not one per row: an import
-- of the national roster touches 10,000 communes at once.
-- +goose StatementBegin
CREATE FUNCTION touch_commune_revs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO commune_revs (commune_code, rev)
        SELECT DISTINCT commune_code, pg_current_xact_id()::text::bigint FROM changed
        ON CONFLICT (commune_code) DO UPDATE SET rev = EXCLUDED.rev;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION touch_commune_revs_of_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO commune_revs (commune_code, rev)
        SELECT DISTINCT r.commune_code, pg_current_xact_id()::text::bigint FROM changed x JOIN reports r ON r.id = x.report_id
        ON CONFLICT (commune_code) DO UPDATE SET rev = EXCLUDED.rev;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER posts_revs_insert AFTER INSERT ON posts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER posts_revs_update_new AFTER UPDATE ON posts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER posts_revs_update_old AFTER UPDATE ON posts REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER posts_revs_delete AFTER DELETE ON posts REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER reports_revs_insert AFTER INSERT ON reports REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER reports_revs_update_new AFTER UPDATE ON reports REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER reports_revs_update_old AFTER UPDATE ON reports REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER reports_revs_delete AFTER DELETE ON reports REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs();
CREATE TRIGGER report_details_revs_insert AFTER INSERT ON report_details REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs_of_reports();
CREATE TRIGGER report_details_revs_update AFTER UPDATE ON report_details REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs_of_reports();
CREATE TRIGGER report_details_revs_delete AFTER DELETE ON report_details REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs_of_reports();

-- +goose Down
DROP TRIGGER report_details_revs_delete ON report_details;
DROP TRIGGER report_details_revs_update ON report_details;
DROP TRIGGER report_details_revs_insert ON report_details;
DROP TRIGGER reports_revs_delete ON reports;
DROP TRIGGER reports_revs_update_old ON reports;
DROP TRIGGER reports_revs_update_new ON reports;
DROP TRIGGER reports_revs_insert ON reports;
DROP TRIGGER posts_revs_delete ON posts;
DROP TRIGGER posts_revs_update_old ON posts;
DROP TRIGGER posts_revs_update_new ON posts;
DROP TRIGGER posts_revs_insert ON posts;
DROP FUNCTION touch_commune_revs_of_reports();
DROP FUNCTION touch_commune_revs();
DROP TABLE commune_revs;
