-- A supervisor's password typed at a teller's till for a four-eyes approval: the wrong guesses
-- are counted per (requester, approver) pair and lock that pair, not the supervisor's own
-- login, so a teller cannot lock every admin out by guessing (docs/security.md, "Four eyes").
CREATE TABLE approval_failures (
    -- who asked (the actor's audit name: a staff email)
    requester VARCHAR(254) NOT NULL,
    approver_id BIGINT NOT NULL,
    failed INT NOT NULL,
    locked_until DATETIME(6) NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (requester, approver_id),
    CONSTRAINT approval_failures_approver FOREIGN KEY (approver_id) REFERENCES users (id),
    CONSTRAINT approval_failures_failed_counted CHECK (failed >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
