DROP INDEX cash_ids_document_day ON cash_ids;
ALTER TABLE cash_ids MODIFY customer_id BIGINT NOT NULL;
