ALTER TABLE audit_log DROP INDEX audit_log_rule_lines, DROP COLUMN rule_subject,
    DROP COLUMN rule_action;
ALTER TABLE audit_log DROP INDEX audit_log_movement_ref, DROP COLUMN movement_ref;
