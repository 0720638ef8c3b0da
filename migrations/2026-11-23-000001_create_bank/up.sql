-- The bank's core: people, accounts, the append-only double-entry journal and the audit log.
-- Every table is InnoDB and utf8mb4: the server default (latin1) cannot hold names like "Дмитрий".

CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(254) NOT NULL,
    name VARCHAR(64) NOT NULL,
    surname VARCHAR(64) NULL,
    age SMALLINT NOT NULL,
    country VARCHAR(64) NOT NULL,
    city VARCHAR(64) NULL,
    role VARCHAR(16) NOT NULL DEFAULT 'customer',
    password_hash VARCHAR(60) NOT NULL,
    failed_logins INT NOT NULL DEFAULT 0,
    locked_until DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    -- emails are stored lower-case; the _ci collation makes uniqueness case-insensitive as well
    UNIQUE KEY users_email (email),
    CONSTRAINT users_role_known CHECK (role IN ('customer', 'teller', 'admin')),
    CONSTRAINT users_age_range CHECK (age BETWEEN 14 AND 120)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE phones (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    number VARCHAR(16) NOT NULL,
    UNIQUE KEY phones_user_number (user_id, number),
    KEY phones_number (number),
    CONSTRAINT phones_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE accounts (
    -- the id is the account number's 9-digit serial (the number without its check digit), chosen
    -- by the application: a transfer locks both rows by primary key, in ascending id order,
    -- without looking anything up first. Internal accounts use serials from 900000000 up.
    id BIGINT NOT NULL PRIMARY KEY,
    number VARCHAR(10) NOT NULL,
    -- customer accounts have an owner; internal ones (cash drawers, over/short) have a label
    owner_id BIGINT NULL,
    kind VARCHAR(16) NOT NULL,
    label VARCHAR(128) NULL,
    currency VARCHAR(3) NOT NULL DEFAULT 'USD',
    status VARCHAR(8) NOT NULL DEFAULT 'open',
    -- cached sum of the journal: credits minus debits
    balance DECIMAL(19, 2) NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY accounts_number (number),
    UNIQUE KEY accounts_label (label),
    KEY accounts_owner (owner_id),
    CONSTRAINT accounts_owner FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT accounts_kind_known CHECK (kind IN ('customer', 'drawer', 'over_short')),
    CONSTRAINT accounts_status_known CHECK (status IN ('open', 'frozen', 'closed')),
    CONSTRAINT accounts_owned_iff_customer CHECK ((kind = 'customer') = (owner_id IS NOT NULL)),
    -- last line of defence: the services refuse overdrafts before this ever fires
    CONSTRAINT accounts_customer_not_negative CHECK (kind <> 'customer' OR balance >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per movement of money: the debited account pays, the credited account receives
-- (TigerBeetle's model), so every movement balances by construction.
CREATE TABLE movements (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    idempotency_key VARCHAR(64) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    debit_account_id BIGINT NOT NULL,
    credit_account_id BIGINT NOT NULL,
    amount DECIMAL(19, 2) NOT NULL,
    currency VARCHAR(3) NOT NULL,
    memo VARCHAR(140) NULL,
    debit_balance_after DECIMAL(19, 2) NOT NULL,
    credit_balance_after DECIMAL(19, 2) NOT NULL,
    reverses_id BIGINT NULL,
    actor VARCHAR(128) NOT NULL,
    approved_by VARCHAR(128) NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY movements_idempotency_key (idempotency_key),
    -- a movement is reversed at most once
    UNIQUE KEY movements_reverses (reverses_id),
    KEY movements_debit_history (debit_account_id, id),
    KEY movements_credit_history (credit_account_id, id),
    CONSTRAINT movements_debit_account FOREIGN KEY (debit_account_id) REFERENCES accounts (id),
    CONSTRAINT movements_credit_account FOREIGN KEY (credit_account_id) REFERENCES accounts (id),
    CONSTRAINT movements_reverses FOREIGN KEY (reverses_id) REFERENCES movements (id),
    CONSTRAINT movements_amount_positive CHECK (amount > 0),
    CONSTRAINT movements_distinct_accounts CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT movements_kind_known CHECK (kind IN ('deposit', 'withdrawal', 'transfer', 'reversal', 'over_short'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who did what, to whom, when and with what outcome. Never a password or a hash.
CREATE TABLE audit_log (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at DATETIME(6) NOT NULL,
    actor VARCHAR(128) NOT NULL,
    action VARCHAR(32) NOT NULL,
    subject VARCHAR(254) NULL,
    outcome VARCHAR(32) NOT NULL,
    detail VARCHAR(512) NULL,
    approved_by VARCHAR(128) NULL,
    KEY audit_log_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The journal and the audit log are append-only: the database itself refuses to rewrite history.
CREATE TRIGGER movements_no_update BEFORE UPDATE ON movements FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the journal is append-only: post a reversal instead';
CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the journal is append-only: post a reversal instead';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';
