-- Related products (at most 40 per product), built by the platform; never recomputed.
CREATE TABLE IF NOT EXISTS related_products (
    product_id VARCHAR NOT NULL,
    related_product_id VARCHAR NOT NULL,
    score DOUBLE NOT NULL
)
