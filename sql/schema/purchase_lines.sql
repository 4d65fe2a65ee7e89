-- Lines of live purchases, keyed by (internal_id, line_number).
-- purchased_at repeats the purchase's time, and repeats_product is true when an
-- earlier line (smaller line_number) of the same purchase contains the same product.
-- Both are set when the line is written, so best sellers read the lines alone.
CREATE TABLE IF NOT EXISTS purchase_lines (
    internal_id BIGINT NOT NULL,
    line_number INTEGER NOT NULL,
    product_id VARCHAR NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price {amount} NOT NULL,
    price {amount} NOT NULL,            -- line price, normally quantity * unit_price
    purchased_at TIMESTAMPTZ NOT NULL,
    repeats_product BOOLEAN NOT NULL
)
