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
    categories VARCHAR[],
    -- Where the row was read, as in stage_purchases: null for writers without files.
    source_file VARCHAR,
    source_line BIGINT
)
