-- One row per order item a customer sent back, with how many units and why.
CREATE TABLE raw_returns (
    order_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    returned_on DATE NOT NULL,
    quantity INTEGER NOT NULL,
    reason VARCHAR NOT NULL
);
