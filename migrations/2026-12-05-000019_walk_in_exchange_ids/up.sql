-- A cash exchange at the counter is for a walk-in customer, who may have no account at the
-- bank: above 1,000.00 USD its ID is recorded with the exchange's first leg (the cash paid in),
-- in cash_ids with no customer. The large-cash report sums a day's exchanges by document.
ALTER TABLE cash_ids MODIFY customer_id BIGINT NULL;
CREATE INDEX cash_ids_document_day ON cash_ids (id_number, recorded_at);
