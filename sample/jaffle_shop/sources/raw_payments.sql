-- One row per payment towards an order, with the amount in cents.
-- The column order is the CSV header's, because COPY ... (HEADER) loads by position.
CREATE TABLE raw_payments (
    id INTEGER NOT NULL,
    order_id INTEGER NOT NULL,
    payment_method VARCHAR NOT NULL,
    amount INTEGER NOT NULL
);
