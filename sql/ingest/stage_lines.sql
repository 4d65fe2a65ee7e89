-- Purchase lines staged beside stage_purchases, keyed by the store purchase id.
-- product_name, brand and categories only describe products that do not exist yet.
CREATE OR REPLACE TEMP TABLE stage_lines (
    purchase_id VARCHAR,
    line_number INTEGER,
    product_id VARCHAR,
    quantity BIGINT,
    unit_price {amount},
    price {amount},
    product_name VARCHAR,
    brand VARCHAR,
    categories VARCHAR[]
)
