-- Devices: the workstations that reach the branch server over SSH, each named by its public
-- key. Every movement and audit line records the device it came from ('local' for the app
-- and CLI run directly against the database).

CREATE TABLE devices (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    -- the OpenSSH public key without its comment: "ssh-ed25519 AAAA..."
    public_key VARCHAR(2048) NOT NULL,
    -- "SHA256:..." as ssh-keygen -lf prints it
    fingerprint VARCHAR(64) NOT NULL,
    added_by VARCHAR(254) NOT NULL,
    approved_by VARCHAR(254) NULL,
    added_at DATETIME(6) NOT NULL,
    revoked_by VARCHAR(254) NULL,
    revoked_at DATETIME(6) NULL,
    -- a name and a key serve one device for good: revoked ones are kept for the history
    UNIQUE KEY devices_name (name),
    UNIQUE KEY devices_fingerprint (fingerprint),
    CONSTRAINT devices_name_not_local CHECK (name <> 'local'),
    CONSTRAINT devices_revoked_together CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Instant on MariaDB (a column with a constant default added at the end): old rows read
-- 'local', which is where they came from.
ALTER TABLE movements ADD COLUMN device VARCHAR(64) NOT NULL DEFAULT 'local';
ALTER TABLE audit_log ADD COLUMN device VARCHAR(64) NOT NULL DEFAULT 'local';
