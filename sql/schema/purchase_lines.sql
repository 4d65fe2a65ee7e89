-- Lines of live purchases, keyed by (internal_id, line_number).
CREATE TABLE IF NOT EXISTS purchase_lines (
    internal_id BIGINT NOT NULL,
    line_number INTEGER NOT NULL,
    product_id VARCHAR NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price {amount} NOT NULL,
    price {amount} NOT NULL             -- line price, normally quantity * unit_price
)
