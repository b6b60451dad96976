-- One row per till line in the two shops. customer_id is NULL (an empty CSV field) when the buyer showed no loyalty card.
CREATE TABLE raw_store_sales (
    id INTEGER NOT NULL,
    store VARCHAR NOT NULL,
    customer_id INTEGER,
    sold_at TIMESTAMP NOT NULL,
    product_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price DECIMAL(10,2) NOT NULL
);
