-- A cash exchange at the counter is for a walk-in customer, who may have no account at the
-- bank: above 1,000.00 USD its ID is recorded with the exchange's first leg (the cash paid in),
-- in cash_ids with no customer. The large-cash report sums a day's exchanges by document (it
-- reads a day's rows by cash_ids_recorded_at).
ALTER TABLE cash_ids MODIFY customer_id BIGINT NULL;

-- A customer may hold a few open quotes at once (services::fx::MAX_OPEN_QUOTES): counted by
-- their quotes not yet expired.
CREATE INDEX fx_quotes_open_by ON fx_quotes (created_by, expires_at);
