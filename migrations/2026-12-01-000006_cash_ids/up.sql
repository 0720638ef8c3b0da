-- Large cash (CTR): the identification recorded at the counter for a cash deposit or
-- withdrawal that takes a customer above 10,000.00 in cash in one business day, in one
-- direction. One row per movement that needed it; written with the movement, never changed.
CREATE TABLE cash_ids (
    movement_id BIGINT NOT NULL PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    id_type VARCHAR(20) NOT NULL,
    id_number VARCHAR(30) NOT NULL,
    id_country CHAR(2) NOT NULL,
    id_expiry DATE NOT NULL,
    recorded_by VARCHAR(254) NOT NULL,
    recorded_at DATETIME(6) NOT NULL,
    KEY cash_ids_customer_day (customer_id, recorded_at),
    CONSTRAINT cash_ids_movement FOREIGN KEY (movement_id) REFERENCES movements (id),
    CONSTRAINT cash_ids_customer FOREIGN KEY (customer_id) REFERENCES users (id),
    CONSTRAINT cash_ids_type_known CHECK (id_type IN ('passport', 'id-card', 'driving-licence'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER cash_ids_no_update BEFORE UPDATE ON cash_ids FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'recorded identifications are append-only';
CREATE TRIGGER cash_ids_no_delete BEFORE DELETE ON cash_ids FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'recorded identifications are append-only';
