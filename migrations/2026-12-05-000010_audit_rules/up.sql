-- The audit checks the bank's rules row by row: each movement against its audit line, each
-- staff user against the line that created them, each login session against its opening line.
-- Those lookups go by action and subject.
CREATE INDEX audit_log_action_subject ON audit_log (action, subject);
