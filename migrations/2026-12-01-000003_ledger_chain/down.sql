DROP TRIGGER IF EXISTS ledger_links_no_delete;
DROP TRIGGER IF EXISTS ledger_links_no_update;
DROP TRIGGER IF EXISTS ledger_seals_no_delete;
DROP TRIGGER IF EXISTS ledger_seals_no_update;
DROP TABLE IF EXISTS ledger_links;
DROP TABLE IF EXISTS ledger_seals;
-- Fails (strict mode) while an actor longer than 128 characters is stored: nothing is cut short.
ALTER TABLE audit_log
    MODIFY actor VARCHAR(128) NOT NULL,
    MODIFY approved_by VARCHAR(128) NULL;
ALTER TABLE movements
    MODIFY actor VARCHAR(128) NOT NULL,
    MODIFY approved_by VARCHAR(128) NULL;
