-- One row per online order, placed on the website ('web') or in the mobile app ('app').
CREATE TABLE raw_orders (
    id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    ordered_at TIMESTAMP NOT NULL,
    channel VARCHAR NOT NULL,
    status VARCHAR NOT NULL
);
