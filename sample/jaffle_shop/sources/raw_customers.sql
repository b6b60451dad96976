-- One row per customer of the shop's app.
-- The column order is the CSV header's, because COPY ... (HEADER) loads by position.
CREATE TABLE raw_customers (
    id INTEGER NOT NULL,
    first_name VARCHAR NOT NULL,
    last_name VARCHAR NOT NULL
);
