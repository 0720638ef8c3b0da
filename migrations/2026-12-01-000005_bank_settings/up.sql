-- The bank's policy (approval limit, idle lock of `teller login` sessions), set by the owner
-- account with `teller migrate`. The app account may only read it: a person's environment
-- never decides how much money moves without a supervisor.
CREATE TABLE bank_settings (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    value VARCHAR(64) NOT NULL,
    updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
