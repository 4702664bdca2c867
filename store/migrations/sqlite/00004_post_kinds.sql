-- +goose Up
-- The post kinds each commune has on record, as bits (1 chief, 2 deputy,
-- 4 officer), kept with its posts (posts are never deleted, so bits are
-- only ever added): vacancy answers find the kinds a xã or thị trấn has no
-- post of from its own row instead of looking into posts for each kind.
ALTER TABLE communes ADD COLUMN post_kinds INTEGER NOT NULL DEFAULT 0;
UPDATE communes SET post_kinds = COALESCE((
    SELECT MAX(CASE WHEN p.kind = 'chief' THEN 1 ELSE 0 END)
         + MAX(CASE WHEN p.kind = 'deputy' THEN 2 ELSE 0 END)
         + MAX(CASE WHEN p.kind = 'officer' THEN 4 ELSE 0 END)
    FROM posts p WHERE p.commune_code = communes.code), 0);

-- +goose Down
ALTER TABLE communes DROP COLUMN post_kinds;
