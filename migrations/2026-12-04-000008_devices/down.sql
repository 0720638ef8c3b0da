ALTER TABLE audit_log DROP COLUMN device;
ALTER TABLE movements DROP COLUMN device;
DROP TABLE IF EXISTS devices;
