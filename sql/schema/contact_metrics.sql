-- Per contact purchase metrics; every contact has a row.
CREATE TABLE IF NOT EXISTS contact_metrics (
    contact_id VARCHAR NOT NULL,
    total_purchases BIGINT NOT NULL,
    total_purchases_amount {amount_sum} NOT NULL,
    average_purchases_amount {amount_avg},
    first_purchase_at TIMESTAMPTZ,
    last_purchase_at TIMESTAMPTZ
)
