-- CLV columns offered to segment conditions, from the out_clv temp table of this run.
CREATE OR REPLACE TEMP VIEW segment_clv AS
SELECT
    contact_id,
    p_alive,
    churn_rate,
    expected_purchases_12m,
    expected_spend_per_purchase,
    clv_12m
FROM out_clv
