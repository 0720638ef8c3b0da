-- A password someone else set (a registration by staff, a reset) must be changed by its owner
-- before anything else: the services refuse every other use of it until then.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- `teller login`: a person's session at a terminal. Only a SHA-256 of the random token is
-- kept, so reading this table does not let anyone act as the person.
CREATE TABLE login_sessions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) NOT NULL,
    user_id BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    last_seen_at DATETIME(6) NOT NULL,
    -- absolute end, whatever the activity
    expires_at DATETIME(6) NOT NULL,
    ended_at DATETIME(6) NULL,
    UNIQUE KEY login_sessions_token (token_hash),
    KEY login_sessions_user (user_id),
    CONSTRAINT login_sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
