-- +goose Up
-- Counters that move whenever what replicas keep in memory changes: the
-- 'roster' generation moves with every import of communes, saved plan and
-- saved group, so that running replicas know to read them again.
CREATE TABLE generations (
    name TEXT   PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO generations (name, n) VALUES ('roster', 1);

-- +goose Down
DROP TABLE generations;
