-- A year of history must cost nothing: every everyday query reads the rows it shows or the day
-- it checks. An account's movements by time (statements, history pages, the customer's cash of
-- the day) replace the by-id history indexes (the same number of indexes on the hot insert);
-- the journal by kind and time serves the day's reports (the large-cash report reads the day's
-- cash only; end of day reads the day's rows, kind by kind).
ALTER TABLE movements
    ADD INDEX movements_debit_time (debit_account_id, created_at),
    ADD INDEX movements_credit_time (credit_account_id, created_at),
    ADD INDEX movements_kind_time (kind, created_at),
    DROP INDEX movements_debit_history,
    DROP INDEX movements_credit_history;

-- The large-cash report reads the IDs recorded on its day.
CREATE INDEX cash_ids_recorded_at ON cash_ids (recorded_at);

-- The incremental audit: a checkpoint is the checked state the audit ended on (at a seal), so
-- the next audit checks the rows after it, not all history. `teller audit --full` checks
-- everything again, these rows included.
CREATE TABLE audit_checkpoints (
    id BIGINT NOT NULL PRIMARY KEY,
    at DATETIME(6) NOT NULL,
    actor VARCHAR(254) NOT NULL,
    -- every row of this seal and those before it was checked
    seal_id BIGINT NOT NULL,
    last_movement_id BIGINT NOT NULL,
    last_audit_id BIGINT NOT NULL,
    -- the rows up to the ids above
    movements BIGINT NOT NULL,
    audit_lines BIGINT NOT NULL,
    -- sessions, vault days and login sessions from these ids on are checked again next time
    -- (they were still open, or came after)
    next_drawer_session_id BIGINT NOT NULL,
    next_vault_day_id BIGINT NOT NULL,
    next_login_session_id BIGINT NOT NULL,
    -- written by `teller audit --full` rather than an incremental one
    full_check BOOLEAN NOT NULL,
    CONSTRAINT audit_checkpoints_seal FOREIGN KEY (seal_id) REFERENCES ledger_seals (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit checkpoints are append-only';
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit checkpoints are append-only';

-- Per account, credits minus debits of the journal up to the newest checkpoint's last movement:
-- the cached balance must equal this plus the movements after it.
CREATE TABLE audit_account_sums (
    account_id BIGINT NOT NULL PRIMARY KEY,
    journal_sum DECIMAL(21, 2) NOT NULL,
    checkpoint_id BIGINT NOT NULL,
    CONSTRAINT audit_account_sums_account FOREIGN KEY (account_id) REFERENCES accounts (id),
    CONSTRAINT audit_account_sums_checkpoint FOREIGN KEY (checkpoint_id) REFERENCES audit_checkpoints (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
