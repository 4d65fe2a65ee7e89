-- One row per id of a deletion batch with its outcome and the deleted purchase.
CREATE TABLE IF NOT EXISTS deletion_log (
    batch_id VARCHAR NOT NULL,
    requested_id VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,           -- deleted, not_found, already_deleted
    internal_id BIGINT,
    purchase_id VARCHAR,
    contact_id VARCHAR,
    total_price {amount},
    purchased_at TIMESTAMPTZ,
    reason VARCHAR,
    deleted_at TIMESTAMPTZ NOT NULL
)
