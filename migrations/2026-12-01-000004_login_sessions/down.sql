DROP TABLE IF EXISTS login_sessions;
ALTER TABLE users DROP COLUMN must_change_password;
