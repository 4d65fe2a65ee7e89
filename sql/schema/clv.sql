-- Per contact CLV predictions; null without purchases or when the store is ineligible.
CREATE TABLE IF NOT EXISTS clv (
    contact_id VARCHAR NOT NULL,
    p_alive DOUBLE,
    churn_rate DOUBLE,                  -- 100 * (1 - p_alive), percent
    expected_purchases_12m DOUBLE,
    expected_spend_per_purchase DOUBLE,
    clv_12m DOUBLE
)
