DROP TABLE IF EXISTS approval_requests;
