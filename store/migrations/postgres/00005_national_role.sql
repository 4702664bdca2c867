-- +goose Up
-- The national role (the Ministry): users and invitations whose scope is
-- the whole roster.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('commune', 'district', 'province', 'national'));
ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_role_check CHECK (role IN ('commune', 'district', 'province', 'national'));

-- +goose Down
DELETE FROM users WHERE role = 'national';
DELETE FROM invitations WHERE role = 'national';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('commune', 'district', 'province'));
ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_role_check CHECK (role IN ('commune', 'district', 'province'));
