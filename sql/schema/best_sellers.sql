-- Products ranked by units per period and top-level category (null: whole store).
CREATE TABLE IF NOT EXISTS best_sellers (
    period VARCHAR NOT NULL,            -- 7d, 30d, 90d, 365d or all
    category VARCHAR,
    rank BIGINT NOT NULL,
    product_id VARCHAR NOT NULL,
    units BIGINT NOT NULL,
    purchases BIGINT NOT NULL,
    revenue {amount_sum} NOT NULL
)
