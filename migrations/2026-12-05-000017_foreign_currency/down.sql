DROP PROCEDURE IF EXISTS commit_movement;
DROP PROCEDURE IF EXISTS post_movement;
DROP TABLE IF EXISTS fx_quotes;
DROP TABLE IF EXISTS fx_rates;
DROP TABLE IF EXISTS currencies;
ALTER TABLE audit_account_sums MODIFY journal_sum DECIMAL(21, 2) NOT NULL;
ALTER TABLE approval_requests MODIFY amount DECIMAL(19, 2) NOT NULL;
ALTER TABLE drawer_limits MODIFY amount DECIMAL(19, 2) NOT NULL;
ALTER TABLE vault_days
    MODIFY opening_total DECIMAL(19, 2) NOT NULL,
    MODIFY opening_book DECIMAL(19, 2) NOT NULL,
    MODIFY closing_total DECIMAL(19, 2) NULL,
    MODIFY closing_book DECIMAL(19, 2) NULL;
ALTER TABLE drawer_sessions
    MODIFY opening_float DECIMAL(19, 2) NOT NULL,
    MODIFY counted DECIMAL(19, 2) NULL,
    MODIFY expected DECIMAL(19, 2) NULL,
    MODIFY over_short DECIMAL(19, 2) NULL;
ALTER TABLE movements
    DROP CONSTRAINT movements_kind_known,
    ADD CONSTRAINT movements_kind_known
        CHECK (kind IN ('deposit', 'withdrawal', 'transfer', 'reversal', 'over_short',
                        'float', 'top_up', 'cash_drop', 'cash_return')),
    MODIFY idempotency_key VARCHAR(64) NOT NULL,
    MODIFY amount DECIMAL(19, 2) NOT NULL,
    MODIFY debit_balance_after DECIMAL(19, 2) NOT NULL,
    MODIFY credit_balance_after DECIMAL(19, 2) NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_known;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_known
    CHECK (kind IN ('customer', 'drawer', 'over_short', 'vault'));
ALTER TABLE accounts MODIFY balance DECIMAL(19, 2) NOT NULL DEFAULT 0;

CREATE PROCEDURE post_movement(
    IN p_key VARCHAR(64),
    IN p_kind VARCHAR(16),
    IN p_debit BIGINT,
    IN p_credit BIGINT,
    IN p_amount DECIMAL(19, 2),
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
    OUT debit_after DECIMAL(19, 2),
    OUT credit_after DECIMAL(19, 2)
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
    IN p_key VARCHAR(64),
    IN p_kind VARCHAR(16),
    IN p_debit BIGINT,
    IN p_credit BIGINT,
    IN p_amount DECIMAL(19, 2),
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
    OUT debit_after DECIMAL(19, 2),
    OUT credit_after DECIMAL(19, 2)
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
