-- Live purchases, one row each. internal_id is assigned on import and never reused;
-- purchase_id is the store's own id. {amount} is the store's DECIMAL amount type.
CREATE TABLE IF NOT EXISTS purchases (
    internal_id BIGINT NOT NULL,
    purchase_id VARCHAR NOT NULL,
    contact_id VARCHAR,                 -- null for anonymous buyers
    purchased_at TIMESTAMPTZ NOT NULL,
    total_price {amount} NOT NULL,
    total_quantity BIGINT NOT NULL,     -- units, duplicates included
    payment_method VARCHAR,
    cart_id VARCHAR,
    source VARCHAR,                     -- importer that wrote the row
    attributed_workflow_id VARCHAR,     -- workflow credited with the purchase
    content_hash VARCHAR NOT NULL,      -- md5 of the purchase and its lines
    imported_at TIMESTAMPTZ NOT NULL
)
