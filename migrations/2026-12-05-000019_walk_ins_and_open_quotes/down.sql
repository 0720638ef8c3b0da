-- Only while no walk-in's ID is recorded: cash_ids keeps its rows (no delete), so once one is,
-- this fails (first, before anything else is undone) and the migration stays.
ALTER TABLE cash_ids MODIFY customer_id BIGINT NOT NULL;
DROP INDEX fx_quotes_open_by ON fx_quotes;
