-- One row per customer account of the web shop and app, with the date they signed up.
CREATE TABLE raw_customers (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    country VARCHAR NOT NULL,
    signed_up_on DATE NOT NULL
);
