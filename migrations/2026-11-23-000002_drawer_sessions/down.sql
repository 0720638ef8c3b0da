ALTER TABLE movements DROP FOREIGN KEY movements_drawer_session;
ALTER TABLE movements DROP COLUMN drawer_session_id;
DROP TRIGGER IF EXISTS drawer_sessions_no_delete;
DROP TRIGGER IF EXISTS drawer_sessions_closed_is_final;
DROP TABLE IF EXISTS drawer_sessions;
