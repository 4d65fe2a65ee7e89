-- Carts with their status; a purchased cart names its store purchase id.
CREATE TABLE IF NOT EXISTS carts (
    cart_id VARCHAR NOT NULL,
    contact_id VARCHAR,
    status VARCHAR NOT NULL,            -- active, abandoned or purchased
    purchase_id VARCHAR,
    updated_at TIMESTAMPTZ
)
