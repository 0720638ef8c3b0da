DROP INDEX audit_log_action_subject ON audit_log;
