-- A cash exchange at the counter is for a walk-in customer, who may have no account at the
-- bank: above 1,000.00 USD its ID is recorded with the exchange's first leg (the cash paid in),
-- in cash_ids with no customer. The large-cash report sums a day's exchanges by document (it
-- reads a day's rows by cash_ids_recorded_at).
ALTER TABLE cash_ids MODIFY customer_id BIGINT NULL;
