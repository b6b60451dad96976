-- One row per order. user_id is the id of the customer who placed it.
-- The column order is the CSV header's, because COPY ... (HEADER) loads by position.
CREATE TABLE raw_orders (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    order_date DATE NOT NULL,
    status VARCHAR NOT NULL
);
