-- The audit checks the bank's rules row by row: each movement against its audit line, each
-- staff user against the line that created them, each login session against its opening line.
-- Those lookups go by action and subject, and by the movement a money line names.
CREATE INDEX audit_log_action_subject ON audit_log (action, subject);

-- The movement an audit line says moved money: its detail ends "reference N" (or "reference N
-- (batch)"), as the services write it. Computed, never stored, so the chain's rows are as
-- before; indexed, so the audit joins movements and lines without reading either twice.
ALTER TABLE audit_log
    ADD COLUMN movement_ref BIGINT AS (IF(outcome = 'ok'
            AND detail REGEXP 'reference [0-9]{1,18}( \\(batch\\))?$',
        CAST(REGEXP_REPLACE(detail, '^.*reference ([0-9]{1,18})( \\(batch\\))?$', '\\1') AS SIGNED),
        NULL)) VIRTUAL,
    ADD INDEX audit_log_movement_ref (movement_ref);
