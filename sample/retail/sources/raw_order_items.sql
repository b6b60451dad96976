-- One row per product in an online order, with the price paid per unit in euros.
CREATE TABLE raw_order_items (
    order_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price DECIMAL(10,2) NOT NULL
);
