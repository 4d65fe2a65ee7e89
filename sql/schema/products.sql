-- The product catalog. categories contains paths such as 'Pc/Keyboards'.
CREATE TABLE IF NOT EXISTS products (
    product_id VARCHAR NOT NULL,
    name VARCHAR,
    brand VARCHAR,
    categories VARCHAR[],
    unit_price {amount},
    non_merchandise BOOLEAN NOT NULL    -- shipping, fees, vouchers: never ranked
)
