ALTER TABLE audit_log DROP INDEX audit_log_movement_ref, DROP COLUMN movement_ref;
DROP INDEX audit_log_action_subject ON audit_log;
