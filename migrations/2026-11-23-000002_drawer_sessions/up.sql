-- A teller's cash drawer for one working session: opened with a counted float, closed with a
-- blind count; the difference is posted to the branch's over/short account.
CREATE TABLE drawer_sessions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    teller_id BIGINT NOT NULL,
    drawer_account_id BIGINT NOT NULL,
    currency VARCHAR(3) NOT NULL,
    opening_float DECIMAL(19, 2) NOT NULL,
    -- the count by denomination, e.g. "100x10 20x25 0.25x40"
    opening_count VARCHAR(512) NOT NULL,
    opened_at DATETIME(6) NOT NULL,
    closed_at DATETIME(6) NULL,
    counted DECIMAL(19, 2) NULL,
    closing_count VARCHAR(512) NULL,
    expected DECIMAL(19, 2) NULL,
    -- counted minus expected: positive over, negative short
    over_short DECIMAL(19, 2) NULL,
    over_short_movement_id BIGINT NULL,
    -- 1 while open, NULL once closed: the unique key allows one open session per teller
    open_marker TINYINT AS (IF(closed_at IS NULL, 1, NULL)) PERSISTENT,
    UNIQUE KEY drawer_sessions_one_open (teller_id, open_marker),
    KEY drawer_sessions_drawer (drawer_account_id),
    CONSTRAINT drawer_sessions_teller FOREIGN KEY (teller_id) REFERENCES users (id),
    CONSTRAINT drawer_sessions_drawer FOREIGN KEY (drawer_account_id) REFERENCES accounts (id),
    CONSTRAINT drawer_sessions_over_short FOREIGN KEY (over_short_movement_id) REFERENCES movements (id),
    CONSTRAINT drawer_sessions_float_not_negative CHECK (opening_float >= 0),
    CONSTRAINT drawer_sessions_counted_not_negative CHECK (counted IS NULL OR counted >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A closed session is history: the database refuses to change or remove it.
CREATE TRIGGER drawer_sessions_closed_is_final BEFORE UPDATE ON drawer_sessions FOR EACH ROW
    IF OLD.closed_at IS NOT NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a closed drawer session cannot be changed';
    END IF;
CREATE TRIGGER drawer_sessions_no_delete BEFORE DELETE ON drawer_sessions FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'drawer sessions cannot be deleted';

-- Cash movements made in a session name it, so the audit can recompute the expected cash.
ALTER TABLE movements
    ADD COLUMN drawer_session_id BIGINT NULL,
    ADD CONSTRAINT movements_drawer_session FOREIGN KEY (drawer_session_id) REFERENCES drawer_sessions (id);
