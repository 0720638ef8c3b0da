-- Emails are up to 254 bytes: the journal and the audit log must hold whoever acted or approved.
ALTER TABLE movements
    MODIFY actor VARCHAR(254) NOT NULL,
    MODIFY approved_by VARCHAR(254) NULL;
ALTER TABLE audit_log
    MODIFY actor VARCHAR(254) NOT NULL,
    MODIFY approved_by VARCHAR(254) NULL;

-- The hash chain over the journal and the audit log (docs/security.md, "Tamper-evident ledger").
-- Those rows are append-only, so their links live here, written by `teller seal`.

-- One seal extends the chain by the rows after the previous seal (at most a batch of each table).
CREATE TABLE ledger_seals (
    -- 1, 2, 3...: the sealer takes the previous id + 1, so two sealers cannot both extend one head
    id BIGINT NOT NULL PRIMARY KEY,
    at DATETIME(6) NOT NULL,
    actor VARCHAR(254) NOT NULL,
    -- hex SHA-256 link of the last row in the chain after this seal
    head CHAR(64) CHARACTER SET ascii NOT NULL,
    -- every row up to these ids is sealed (ids never used are holes, not rows)
    last_movement_id BIGINT NOT NULL,
    last_audit_id BIGINT NOT NULL,
    -- the highest ids this seal saw committed, sealed or not: older holes below them are final
    movement_seen_id BIGINT NOT NULL,
    audit_seen_id BIGINT NOT NULL,
    -- rows this seal linked
    movements BIGINT NOT NULL,
    audit_lines BIGINT NOT NULL,
    CONSTRAINT ledger_seals_id_positive CHECK (id > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One link per sealed row: SHA-256(previous link || canonical row), in chain order.
CREATE TABLE ledger_links (
    seal_id BIGINT NOT NULL,
    -- 0, 1, 2... within the seal: its movements by id, then its audit lines by id
    seq INT NOT NULL,
    row_table VARCHAR(16) CHARACTER SET ascii NOT NULL,
    row_id BIGINT NOT NULL,
    link CHAR(64) CHARACTER SET ascii NOT NULL,
    PRIMARY KEY (seal_id, seq),
    -- a row is sealed once
    UNIQUE KEY ledger_links_row (row_table, row_id),
    CONSTRAINT ledger_links_seal FOREIGN KEY (seal_id) REFERENCES ledger_seals (id),
    CONSTRAINT ledger_links_table_known CHECK (row_table IN ('movements', 'audit_log'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER ledger_seals_no_update BEFORE UPDATE ON ledger_seals FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger seals are append-only';
CREATE TRIGGER ledger_seals_no_delete BEFORE DELETE ON ledger_seals FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger seals are append-only';
CREATE TRIGGER ledger_links_no_update BEFORE UPDATE ON ledger_links FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger links are append-only';
CREATE TRIGGER ledger_links_no_delete BEFORE DELETE ON ledger_links FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger links are append-only';
