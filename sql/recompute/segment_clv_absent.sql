-- CLV columns offered to segment conditions when the run built no out_clv: no rows,
-- so every CLV column of segment_input is null and conditions on it still bind.
CREATE OR REPLACE TEMP VIEW segment_clv AS
SELECT
    NULL::VARCHAR AS contact_id,
    NULL::DOUBLE AS p_alive,
    NULL::DOUBLE AS churn_rate,
    NULL::DOUBLE AS expected_purchases_12m,
    NULL::DOUBLE AS expected_spend_per_purchase,
    NULL::DOUBLE AS clv_12m
WHERE false
