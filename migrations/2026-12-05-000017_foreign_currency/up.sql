-- Foreign currency (docs/fx.md). Amounts follow ISO 4217 minor units: JPY has none, USD two,
-- KWD and BHD three, so every money column keeps three decimals (a 2-decimal currency's values
-- end in 0; the services refuse an amount with more decimals than its currency has). The
-- rebuild of the journal this needs is the one slow step of the upgrade (docs/deploy.md).
ALTER TABLE accounts MODIFY balance DECIMAL(20, 3) NOT NULL DEFAULT 0;
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_known;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_known
    CHECK (kind IN ('customer', 'drawer', 'over_short', 'vault', 'position'));

-- An exchange is two movements, one in each currency, through the bank's position accounts;
-- the second leg's key is the first's with "/2" (a character no caller's key may hold), so a
-- key of 64 characters still has room.
ALTER TABLE movements
    MODIFY idempotency_key VARCHAR(72) NOT NULL,
    MODIFY amount DECIMAL(20, 3) NOT NULL,
    MODIFY debit_balance_after DECIMAL(20, 3) NOT NULL,
    MODIFY credit_balance_after DECIMAL(20, 3) NOT NULL,
    DROP CONSTRAINT movements_kind_known,
    ADD CONSTRAINT movements_kind_known
        CHECK (kind IN ('deposit', 'withdrawal', 'transfer', 'reversal', 'over_short',
                        'float', 'top_up', 'cash_drop', 'cash_return', 'exchange'));

ALTER TABLE drawer_sessions
    MODIFY opening_float DECIMAL(20, 3) NOT NULL,
    MODIFY counted DECIMAL(20, 3) NULL,
    MODIFY expected DECIMAL(20, 3) NULL,
    MODIFY over_short DECIMAL(20, 3) NULL;
ALTER TABLE vault_days
    MODIFY opening_total DECIMAL(20, 3) NOT NULL,
    MODIFY opening_book DECIMAL(20, 3) NOT NULL,
    MODIFY closing_total DECIMAL(20, 3) NULL,
    MODIFY closing_book DECIMAL(20, 3) NULL;
ALTER TABLE drawer_limits MODIFY amount DECIMAL(20, 3) NOT NULL;
ALTER TABLE approval_requests MODIFY amount DECIMAL(20, 3) NOT NULL;
ALTER TABLE audit_account_sums MODIFY journal_sum DECIMAL(22, 3) NOT NULL;

-- The currencies the bank trades: accounts, drawers and vaults are opened only in these, and
-- only these are exchanged. The minor units are ISO 4217's when the currency was added, kept
-- so that a later edition of the table cannot change what stored amounts mean. Denominations
-- are the banknotes and coins a drawer counts, in the currency's units, largest first.
CREATE TABLE currencies (
    code VARCHAR(3) NOT NULL PRIMARY KEY,
    minor_units TINYINT NOT NULL,
    denominations VARCHAR(255) NOT NULL,
    added_by VARCHAR(254) NOT NULL,
    added_at DATETIME(6) NOT NULL,
    CONSTRAINT currencies_minor_units CHECK (minor_units BETWEEN 0 AND 3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO currencies (code, minor_units, denominations, added_by, added_at) VALUES
    ('USD', 2, '100 50 20 10 5 2 1 0.50 0.25 0.10 0.05 0.01', 'migration', NOW(6)),
    ('EUR', 2, '500 200 100 50 20 10 5 2 1 0.50 0.20 0.10 0.05 0.02 0.01', 'migration', NOW(6)),
    ('GBP', 2, '50 20 10 5 2 1 0.50 0.20 0.10 0.05 0.02 0.01', 'migration', NOW(6)),
    ('CAD', 2, '100 50 20 10 5 2 1 0.25 0.10 0.05', 'migration', NOW(6)),
    ('CHF', 2, '1000 200 100 50 20 10 5 2 1 0.50 0.20 0.10 0.05', 'migration', NOW(6)),
    ('AUD', 2, '100 50 20 10 5 2 1 0.50 0.20 0.10 0.05', 'migration', NOW(6));

-- Exchange rates, as history: a change is a new row, and each quote names the row it used, so a
-- statement can show the rate of every exchange. `buy` is what the bank pays, in `quote`, for
-- one `base` it buys; `sell` what it asks for one `base` it sells.
CREATE TABLE fx_rates (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    base VARCHAR(3) NOT NULL,
    quote VARCHAR(3) NOT NULL,
    buy DECIMAL(24, 8) NOT NULL,
    sell DECIMAL(24, 8) NOT NULL,
    valid_from DATETIME(6) NOT NULL,
    valid_until DATETIME(6) NULL,
    set_by VARCHAR(254) NOT NULL,
    set_at DATETIME(6) NOT NULL,
    KEY fx_rates_pair (base, quote, id),
    CONSTRAINT fx_rates_base FOREIGN KEY (base) REFERENCES currencies (code),
    CONSTRAINT fx_rates_quote FOREIGN KEY (quote) REFERENCES currencies (code),
    CONSTRAINT fx_rates_two_currencies CHECK (base <> quote),
    CONSTRAINT fx_rates_spread CHECK (buy > 0 AND sell > buy),
    CONSTRAINT fx_rates_window CHECK (valid_until IS NULL OR valid_until > valid_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER fx_rates_no_update BEFORE UPDATE ON fx_rates FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'exchange rates are append-only';
CREATE TRIGGER fx_rates_no_delete BEFORE DELETE ON fx_rates FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'exchange rates are append-only';

-- A quote: what `from_amount` of one currency buys of another at one rate, for 60 seconds, used
-- at most once (`used_key` is the exchange's key: its first leg has that key, its second the
-- key with "/2"). `side` says how `to_amount` came from the rate: 'buy' = from x rate (the
-- bank buys the rate's base), 'sell' = from / rate (it sells it), rounded down to the minor
-- unit, or for cash paid out to `cash_unit`, the currency's smallest banknote or coin (a
-- drawer cannot pay 12.37 Canadian dollars). `margin` is the bank's, in the currency paid out,
-- against the mid rate. Used once: the app account may set the `used_*` columns of an unused
-- quote only (the trigger below), and never deletes one.
CREATE TABLE fx_quotes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    rate_id BIGINT NOT NULL,
    side VARCHAR(4) NOT NULL,
    rate DECIMAL(24, 8) NOT NULL,
    from_currency VARCHAR(3) NOT NULL,
    to_currency VARCHAR(3) NOT NULL,
    from_amount DECIMAL(20, 3) NOT NULL,
    to_amount DECIMAL(20, 3) NOT NULL,
    cash_unit DECIMAL(20, 3) NULL,
    margin DECIMAL(20, 3) NOT NULL,
    created_by VARCHAR(254) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    used_key VARCHAR(64) NULL,
    used_by VARCHAR(254) NULL,
    used_at DATETIME(6) NULL,
    UNIQUE KEY fx_quotes_used_key (used_key),
    KEY fx_quotes_used_at (used_at),
    CONSTRAINT fx_quotes_rate FOREIGN KEY (rate_id) REFERENCES fx_rates (id),
    CONSTRAINT fx_quotes_from FOREIGN KEY (from_currency) REFERENCES currencies (code),
    CONSTRAINT fx_quotes_to FOREIGN KEY (to_currency) REFERENCES currencies (code),
    CONSTRAINT fx_quotes_side CHECK (side IN ('buy', 'sell')),
    CONSTRAINT fx_quotes_positive CHECK (from_amount > 0 AND to_amount > 0),
    CONSTRAINT fx_quotes_cash_unit CHECK (cash_unit IS NULL OR cash_unit > 0),
    CONSTRAINT fx_quotes_two_currencies CHECK (from_currency <> to_currency),
    CONSTRAINT fx_quotes_used_together CHECK ((used_key IS NULL) = (used_at IS NULL)
        AND (used_key IS NULL) = (used_by IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER fx_quotes_used_once BEFORE UPDATE ON fx_quotes FOR EACH ROW
BEGIN
    IF OLD.used_key IS NOT NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'a quote is used once';
    END IF;
END;
CREATE TRIGGER fx_quotes_no_delete BEFORE DELETE ON fx_quotes FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'quotes are kept';

-- The movement procedures again, for the wider amounts and keys (migration 000016 says why
-- they exist).
DROP PROCEDURE IF EXISTS commit_movement;
DROP PROCEDURE IF EXISTS post_movement;

CREATE PROCEDURE post_movement(
    IN p_key VARCHAR(72),
    IN p_kind VARCHAR(16),
    IN p_debit BIGINT,
    IN p_credit BIGINT,
    IN p_amount DECIMAL(20, 3),
    IN p_currency VARCHAR(3),
    IN p_memo VARCHAR(140),
    IN p_reverses BIGINT,
    IN p_actor VARCHAR(254),
    IN p_approved_by VARCHAR(254),
    IN p_at DATETIME(6),
    IN p_session BIGINT,
    IN p_device VARCHAR(64),
    IN p_subject VARCHAR(254),
    IN p_detail VARCHAR(512),
    IN p_recheck BOOLEAN,
    OUT posted_id BIGINT,
    OUT debit_after DECIMAL(20, 3),
    OUT credit_after DECIMAL(20, 3)
)
MODIFIES SQL DATA
SQL SECURITY INVOKER
BEGIN
    UPDATE accounts SET balance = balance + IF(id = p_debit, -p_amount, p_amount)
        WHERE (id = p_debit OR id = p_credit)
            AND (NOT p_recheck OR (status = 'open' AND currency = p_currency));
    IF ROW_COUNT() <> 2 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'post_movement: the accounts changed';
    END IF;
    SELECT SUM(IF(id = p_debit, balance, 0)), SUM(IF(id = p_credit, balance, 0))
        INTO debit_after, credit_after
        FROM accounts WHERE id = p_debit OR id = p_credit;
    INSERT INTO movements (idempotency_key, kind, debit_account_id, credit_account_id, amount,
            currency, memo, debit_balance_after, credit_balance_after, reverses_id, actor,
            approved_by, created_at, drawer_session_id, device)
        VALUES (p_key, p_kind, p_debit, p_credit, p_amount, p_currency, p_memo, debit_after,
            credit_after, p_reverses, p_actor, p_approved_by, p_at, p_session, p_device);
    SET posted_id = LAST_INSERT_ID();
    -- The line names its movement: the caller's text ends where the reference goes.
    INSERT INTO audit_log (at, actor, action, subject, outcome, detail, approved_by, device)
        VALUES (p_at, p_actor, p_kind, p_subject, 'ok', CONCAT(p_detail, posted_id),
            p_approved_by, p_device);
END;

-- `post_movement` with its re-check, as one transaction of its own: a transfer's whole write is
-- then one round trip from the connection's autocommit, the rows locked only while it runs and
-- commits. Anything that fails rolls the whole of it back and reaches the caller unchanged.
CREATE PROCEDURE commit_movement(
    IN p_key VARCHAR(72),
    IN p_kind VARCHAR(16),
    IN p_debit BIGINT,
    IN p_credit BIGINT,
    IN p_amount DECIMAL(20, 3),
    IN p_currency VARCHAR(3),
    IN p_memo VARCHAR(140),
    IN p_reverses BIGINT,
    IN p_actor VARCHAR(254),
    IN p_approved_by VARCHAR(254),
    IN p_at DATETIME(6),
    IN p_session BIGINT,
    IN p_device VARCHAR(64),
    IN p_subject VARCHAR(254),
    IN p_detail VARCHAR(512),
    OUT posted_id BIGINT,
    OUT debit_after DECIMAL(20, 3),
    OUT credit_after DECIMAL(20, 3)
)
MODIFIES SQL DATA
SQL SECURITY INVOKER
BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        RESIGNAL;
    END;
    START TRANSACTION;
    CALL post_movement(p_key, p_kind, p_debit, p_credit, p_amount, p_currency, p_memo,
        p_reverses, p_actor, p_approved_by, p_at, p_session, p_device, p_subject, p_detail, TRUE,
        posted_id, debit_after, credit_after);
    COMMIT;
END;
