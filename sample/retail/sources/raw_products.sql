-- One row per product in the catalog, with its list price in euros.
CREATE TABLE raw_products (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    unit_price DECIMAL(10,2) NOT NULL
);
