-- Balances that cannot drift silently (docs/cluster-safety.md). Every account names its last
-- movement, and every posting checks that the account's balance before it is the balance after
-- that movement: a lost or doubled update of a cached balance (what Jepsen's P4 would do to a
-- read-modify-write) is refused by the next movement on the account, not found by the next
-- full audit only. The lookup is one primary-key read per side, whatever the history.
ALTER TABLE accounts ADD COLUMN last_movement_id BIGINT NULL;

UPDATE accounts a SET a.last_movement_id = NULLIF(GREATEST(
    COALESCE((SELECT MAX(m.id) FROM movements m WHERE m.debit_account_id = a.id), 0),
    COALESCE((SELECT MAX(m.id) FROM movements m WHERE m.credit_account_id = a.id), 0)), 0);

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
    DECLARE debit_before, credit_before DECIMAL(20, 3);
    DECLARE debit_last, credit_last BIGINT;
    DECLARE debit_chain, credit_chain DECIMAL(20, 3);
    DECLARE locked_rows INT;
    DECLARE broken VARCHAR(128);
    -- Both rows locked and read once; the balances then move by the amount in one UPDATE,
    -- which also names the new movement as each account's last (the journal row goes first,
    -- so its id is known).
    SELECT SUM(IF(id = p_debit, balance, 0)), SUM(IF(id = p_credit, balance, 0)),
            MAX(IF(id = p_debit, last_movement_id, NULL)),
            MAX(IF(id = p_credit, last_movement_id, NULL)), COUNT(*)
        INTO debit_before, credit_before, debit_last, credit_last, locked_rows
        FROM accounts
        WHERE (id = p_debit OR id = p_credit)
            AND (NOT p_recheck OR (status = 'open' AND currency = p_currency))
        FOR UPDATE;
    IF locked_rows <> 2 THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'post_movement: the accounts changed';
    END IF;
    -- The balance before this movement must be the balance after the account's last one (or
    -- zero before its first).
    SELECT MAX(CASE WHEN id = debit_last THEN CASE
                WHEN debit_account_id = p_debit THEN debit_balance_after
                WHEN credit_account_id = p_debit THEN credit_balance_after END END),
            MAX(CASE WHEN id = credit_last THEN CASE
                WHEN debit_account_id = p_credit THEN debit_balance_after
                WHEN credit_account_id = p_credit THEN credit_balance_after END END)
        INTO debit_chain, credit_chain
        FROM movements WHERE id = debit_last OR id = credit_last
        -- Locking, so it reads the newest rows: a plain read would read the transaction's
        -- snapshot, which a caller's earlier read may have taken before the movement the locked
        -- row names was committed.
        LOCK IN SHARE MODE;
    -- No movement yet: zero. A movement named but missing, or not the account's: NULL, broken.
    IF debit_last IS NULL THEN
        SET debit_chain = 0;
    END IF;
    IF credit_last IS NULL THEN
        SET credit_chain = 0;
    END IF;
    IF NOT (debit_chain <=> debit_before) THEN
        SET broken = CONCAT('post_movement: balance chain broken on account ', p_debit);
    ELSEIF NOT (credit_chain <=> credit_before) THEN
        SET broken = CONCAT('post_movement: balance chain broken on account ', p_credit);
    END IF;
    IF broken IS NOT NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = broken;
    END IF;
    SET debit_after = debit_before - p_amount, credit_after = credit_before + p_amount;
    INSERT INTO movements (idempotency_key, kind, debit_account_id, credit_account_id, amount,
            currency, memo, debit_balance_after, credit_balance_after, reverses_id, actor,
            approved_by, created_at, drawer_session_id, device)
        VALUES (p_key, p_kind, p_debit, p_credit, p_amount, p_currency, p_memo, debit_after,
            credit_after, p_reverses, p_actor, p_approved_by, p_at, p_session, p_device);
    SET posted_id = LAST_INSERT_ID();
    -- Relative to the locked row (a customer balance below zero is refused by the table's
    -- CHECK here, and the caller's transaction rolls the journal row back with it).
    UPDATE accounts SET balance = balance + IF(id = p_debit, -p_amount, p_amount),
            last_movement_id = posted_id
        WHERE id = p_debit OR id = p_credit;
    -- The line names its movement: the caller's text ends where the reference goes.
    INSERT INTO audit_log (at, actor, action, subject, outcome, detail, approved_by, device)
        VALUES (p_at, p_actor, p_kind, p_subject, 'ok', CONCAT(p_detail, posted_id),
            p_approved_by, p_device);
END;
