-- The identifications recorded for large cash (cash_ids) join the hash chain: each one is
-- linked right after its movement, so a changed, removed or later-added ID record is caught by
-- `teller audit` like a changed movement (docs/security.md, "Tamper-evident ledger").

-- How many ID records a seal linked; NULL for a seal made before ID records were chained (its
-- movements' ID records are not in the chain, and the audit does not ask for them).
ALTER TABLE ledger_seals ADD COLUMN cash_ids BIGINT NULL;

ALTER TABLE ledger_links DROP CONSTRAINT ledger_links_table_known;
ALTER TABLE ledger_links ADD CONSTRAINT ledger_links_table_known
    CHECK (row_table IN ('movements', 'audit_log', 'cash_ids'));
