-- Only while no walk-in's ID is recorded: cash_ids keeps its rows (no delete), so once one is,
-- this fails and the migration stays.
ALTER TABLE cash_ids MODIFY customer_id BIGINT NOT NULL;
