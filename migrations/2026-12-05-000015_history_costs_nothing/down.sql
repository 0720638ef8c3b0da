DROP TABLE audit_account_sums;
DROP TABLE audit_checkpoints;
DROP INDEX cash_ids_recorded_at ON cash_ids;
ALTER TABLE movements
    ADD INDEX movements_debit_history (debit_account_id, id),
    ADD INDEX movements_credit_history (credit_account_id, id),
    DROP INDEX movements_kind_time,
    DROP INDEX movements_debit_time,
    DROP INDEX movements_credit_time;
