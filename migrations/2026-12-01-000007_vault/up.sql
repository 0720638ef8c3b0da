-- The branch's day: cash lives in a vault per currency, moves to and from the drawers under
-- dual control, and the day closes once every figure proves.

ALTER TABLE accounts DROP CONSTRAINT accounts_kind_known;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_known
    CHECK (kind IN ('customer', 'drawer', 'over_short', 'vault'));

-- float: vault -> drawer at opening; top_up: vault -> drawer; cash_drop: drawer -> vault;
-- cash_return: the counted cash, drawer -> vault, at closing.
ALTER TABLE movements DROP CONSTRAINT movements_kind_known;
ALTER TABLE movements ADD CONSTRAINT movements_kind_known
    CHECK (kind IN ('deposit', 'withdrawal', 'transfer', 'reversal', 'over_short',
                    'float', 'top_up', 'cash_drop', 'cash_return'));

-- One vault day per currency and business date: opened by a supervisor's blind count,
-- counted again (blind) before the day closes. The counts are by denomination.
CREATE TABLE vault_days (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    currency VARCHAR(3) NOT NULL,
    business_date DATE NOT NULL,
    vault_account_id BIGINT NOT NULL,
    opened_by VARCHAR(254) NOT NULL,
    opened_at DATETIME(6) NOT NULL,
    opening_count VARCHAR(512) NOT NULL,
    opening_total DECIMAL(19, 2) NOT NULL,
    -- what the book said before the opening count
    opening_book DECIMAL(19, 2) NOT NULL,
    -- the latest closing count; a recount replaces it until the day is closed
    counted_by VARCHAR(254) NULL,
    counted_at DATETIME(6) NULL,
    closing_count VARCHAR(512) NULL,
    closing_total DECIMAL(19, 2) NULL,
    closing_book DECIMAL(19, 2) NULL,
    UNIQUE KEY vault_days_currency_date (currency, business_date),
    KEY vault_days_date (business_date),
    CONSTRAINT vault_days_account FOREIGN KEY (vault_account_id) REFERENCES accounts (id),
    CONSTRAINT vault_days_opening_not_negative CHECK (opening_total >= 0),
    CONSTRAINT vault_days_closing_not_negative CHECK (closing_total IS NULL OR closing_total >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every movement into or out of a vault, with the pieces that moved: the vault's holdings by
-- denomination are the opening count plus these. Written with the movement, never changed.
CREATE TABLE vault_moves (
    movement_id BIGINT NOT NULL PRIMARY KEY,
    vault_day_id BIGINT NOT NULL,
    drawer_session_id BIGINT NULL,
    -- 1: into the vault, -1: out of it
    direction TINYINT NOT NULL,
    pieces VARCHAR(512) NOT NULL,
    KEY vault_moves_day (vault_day_id),
    KEY vault_moves_session (drawer_session_id),
    CONSTRAINT vault_moves_movement FOREIGN KEY (movement_id) REFERENCES movements (id),
    CONSTRAINT vault_moves_day FOREIGN KEY (vault_day_id) REFERENCES vault_days (id),
    CONSTRAINT vault_moves_session FOREIGN KEY (drawer_session_id) REFERENCES drawer_sessions (id),
    CONSTRAINT vault_moves_direction_known CHECK (direction IN (1, -1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER vault_moves_no_update BEFORE UPDATE ON vault_moves FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'vault movements are append-only';
CREATE TRIGGER vault_moves_no_delete BEFORE DELETE ON vault_moves FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'vault movements are append-only';
CREATE TRIGGER vault_days_no_delete BEFORE DELETE ON vault_days FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'vault days cannot be deleted';

-- A closed business day: no cash operation is dated into it. The row is the proof's seal.
CREATE TABLE business_days (
    business_date DATE NOT NULL PRIMARY KEY,
    closed_by VARCHAR(254) NOT NULL,
    closed_at DATETIME(6) NOT NULL,
    -- the ledger chain's head when the day closed
    chain_head VARCHAR(64) NOT NULL,
    movement_count BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER business_days_no_update BEFORE UPDATE ON business_days FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a closed day cannot be reopened';
CREATE TRIGGER business_days_no_delete BEFORE DELETE ON business_days FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a closed day cannot be reopened';

-- A vault day's counts stay as they were once its business day is closed.
CREATE TRIGGER vault_days_closed_is_final BEFORE UPDATE ON vault_days FOR EACH ROW
    IF EXISTS (SELECT 1 FROM business_days b WHERE b.business_date = OLD.business_date) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the day is closed: its vault count is final';
    END IF;

-- A teller's own drawer limit, where the bank set one; otherwise its policy (drawer_limit).
CREATE TABLE drawer_limits (
    teller_id BIGINT NOT NULL PRIMARY KEY,
    amount DECIMAL(19, 2) NOT NULL,
    set_by VARCHAR(254) NOT NULL,
    set_at DATETIME(6) NOT NULL,
    CONSTRAINT drawer_limits_teller FOREIGN KEY (teller_id) REFERENCES users (id),
    CONSTRAINT drawer_limits_positive CHECK (amount > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- On a Galera cluster every transaction first marks its connection's row here and checks the
-- mark before COMMIT and after it: a transaction the cluster rolled back silently is found.
CREATE TABLE tx_guard (
    token BIGINT NOT NULL PRIMARY KEY,
    n BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The vault day a drawer's float came from (none for sessions opened before the vault).
ALTER TABLE drawer_sessions
    ADD COLUMN vault_day_id BIGINT NULL,
    ADD CONSTRAINT drawer_sessions_vault_day FOREIGN KEY (vault_day_id) REFERENCES vault_days (id);
