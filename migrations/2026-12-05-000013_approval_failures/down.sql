DROP TABLE IF EXISTS approval_failures;
