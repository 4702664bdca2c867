-- +goose Up
-- A report's details move its commune's rev only when its check state
-- changes: that is all the posts kept in memory read of them (how a post
-- counts, which posts wait). Each decision typed during a report updates
-- its details, and made the bot read the commune again.
DROP TRIGGER report_details_revs_update;

-- +goose StatementBegin
CREATE TRIGGER report_details_revs_update AFTER UPDATE ON report_details
WHEN OLD.check_state IS NOT NEW.check_state OR OLD.report_id IS NOT NEW.report_id BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT (SELECT commune_code FROM reports WHERE id = NEW.report_id) AS code UNION SELECT (SELECT commune_code FROM reports WHERE id = OLD.report_id)) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER report_details_revs_update;

-- +goose StatementBegin
CREATE TRIGGER report_details_revs_update AFTER UPDATE ON report_details BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT (SELECT commune_code FROM reports WHERE id = NEW.report_id) AS code UNION SELECT (SELECT commune_code FROM reports WHERE id = OLD.report_id)) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd
