-- Approvals that travel: a teller sends the operation to the supervisors instead of asking
-- one to type a password on the teller's screen. The request is bound to the operation's
-- digest, approved or rejected by a supervisor in their own session, used once, and expires.

CREATE TABLE approval_requests (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- withdrawal, transfer, deposit
    kind VARCHAR(16) NOT NULL,
    -- SHA-256 (hex) of kind, accounts, amount, memo and key: what is approved exactly
    -- (who asked is teller_id; when each decision fell is in the audit log)
    digest CHAR(64) NOT NULL,
    amount DECIMAL(19, 2) NOT NULL,
    currency VARCHAR(3) NOT NULL,
    -- "1234567890 -> 2345678901", "cash -> 1234567890"
    accounts VARCHAR(64) NOT NULL,
    customer VARCHAR(254) NULL,
    idempotency_key VARCHAR(64) NOT NULL,
    teller_id BIGINT NOT NULL,
    device VARCHAR(64) NOT NULL,
    requested_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    -- pending, approved, rejected, withdrawn (expired is pending or approved past expires_at)
    status VARCHAR(16) NOT NULL,
    decided_by VARCHAR(254) NULL,
    reason VARCHAR(140) NULL,
    movement_id BIGINT NULL,
    KEY approval_requests_open (status, expires_at),
    KEY approval_requests_teller (teller_id),
    CONSTRAINT approval_requests_teller FOREIGN KEY (teller_id) REFERENCES users (id),
    CONSTRAINT approval_requests_movement FOREIGN KEY (movement_id) REFERENCES movements (id),
    CONSTRAINT approval_requests_status_known
        CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    CONSTRAINT approval_requests_amount_positive CHECK (amount > 0),
    -- used once: by the movement named here, and only when approved
    UNIQUE KEY approval_requests_movement_once (movement_id),
    CONSTRAINT approval_requests_used_if_approved CHECK (movement_id IS NULL OR status = 'approved')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
