-- +goose Up
-- SQLite twin of postgres/00021_commune_revs.sql. SQLite has one writer at a
-- time, so rev is a counter (generations 'posts') that every such write
-- moves: the rows above the rev a reader last saw are every change it has
-- not seen.
CREATE TABLE commune_revs (
    commune_code TEXT    PRIMARY KEY,
    rev          INTEGER NOT NULL
);
CREATE INDEX commune_revs_rev_idx ON commune_revs (rev);
INSERT INTO commune_revs (commune_code, rev) SELECT code, 0 FROM communes;
INSERT INTO generations (name, n) VALUES ('posts', 1);

-- +goose StatementBegin
CREATE TRIGGER posts_revs_insert AFTER INSERT ON posts BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT NEW.commune_code AS code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER posts_revs_update AFTER UPDATE ON posts BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT NEW.commune_code AS code UNION SELECT OLD.commune_code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER posts_revs_delete AFTER DELETE ON posts BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT OLD.commune_code AS code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reports_revs_insert AFTER INSERT ON reports BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT NEW.commune_code AS code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reports_revs_update AFTER UPDATE ON reports BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT NEW.commune_code AS code UNION SELECT OLD.commune_code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reports_revs_delete AFTER DELETE ON reports BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT OLD.commune_code AS code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_details_revs_insert AFTER INSERT ON report_details BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT (SELECT commune_code FROM reports WHERE id = NEW.report_id) AS code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_details_revs_update AFTER UPDATE ON report_details BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT (SELECT commune_code FROM reports WHERE id = NEW.report_id) AS code UNION SELECT (SELECT commune_code FROM reports WHERE id = OLD.report_id)) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER report_details_revs_delete AFTER DELETE ON report_details BEGIN
    UPDATE generations SET n = n + 1 WHERE name = 'posts';
    INSERT INTO commune_revs (commune_code, rev)
        SELECT x.code, g.n FROM (SELECT (SELECT commune_code FROM reports WHERE id = OLD.report_id) AS code) x, generations g WHERE g.name = 'posts' AND x.code IS NOT NULL
        ON CONFLICT (commune_code) DO UPDATE SET rev = excluded.rev;
END;
-- +goose StatementEnd


-- +goose Down
DROP TRIGGER report_details_revs_delete;
DROP TRIGGER report_details_revs_update;
DROP TRIGGER report_details_revs_insert;
DROP TRIGGER reports_revs_delete;
DROP TRIGGER reports_revs_update;
DROP TRIGGER reports_revs_insert;
DROP TRIGGER posts_revs_delete;
DROP TRIGGER posts_revs_update;
DROP TRIGGER posts_revs_insert;
DELETE FROM generations WHERE name = 'posts';
DROP TABLE commune_revs;
