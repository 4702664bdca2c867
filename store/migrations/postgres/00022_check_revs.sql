-- +goose Up
-- A report's details move its commune's rev only when its check state
-- changes: that is all the posts kept in memory read of them (how a post
-- counts, which posts wait). Each decision typed during a report updates
-- its details, and made every replica read the commune again.
-- +goose StatementBegin
CREATE FUNCTION touch_commune_revs_of_checks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO commune_revs (commune_code, rev)
        SELECT r.commune_code, pg_current_xact_id()::text::bigint FROM after_rows a JOIN reports r ON r.id = a.report_id
            WHERE NOT EXISTS (SELECT 1 FROM before_rows b WHERE b.report_id = a.report_id AND b.check_state IS NOT DISTINCT FROM a.check_state)
        UNION
        SELECT r.commune_code, pg_current_xact_id()::text::bigint FROM before_rows b JOIN reports r ON r.id = b.report_id
            WHERE NOT EXISTS (SELECT 1 FROM after_rows a WHERE a.report_id = b.report_id AND a.check_state IS NOT DISTINCT FROM b.check_state)
        ON CONFLICT (commune_code) DO UPDATE SET rev = EXCLUDED.rev;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP TRIGGER report_details_revs_update ON report_details;
CREATE TRIGGER report_details_revs_update AFTER UPDATE ON report_details REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs_of_checks();

-- +goose Down
DROP TRIGGER report_details_revs_update ON report_details;
CREATE TRIGGER report_details_revs_update AFTER UPDATE ON report_details REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION touch_commune_revs_of_reports();
DROP FUNCTION touch_commune_revs_of_checks();
