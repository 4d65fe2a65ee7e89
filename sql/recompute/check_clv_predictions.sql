-- Data check: CLV predictions are null or finite and in range: 0 <= p_alive <= 1,
-- 0 <= churn_rate <= 100, expected purchases, spend per purchase and clv_12m >= 0.
-- Returns the offending contacts with their values, at most ? rows; no rows means
-- the check passed. Reads out_clv.
SELECT
    contact_id,
    p_alive,
    churn_rate,
    expected_purchases_12m,
    expected_spend_per_purchase,
    clv_12m
FROM out_clv
WHERE NOT coalesce(isfinite(p_alive) AND p_alive BETWEEN 0 AND 1, true)
   OR NOT coalesce(isfinite(churn_rate) AND churn_rate BETWEEN 0 AND 100, true)
   OR NOT coalesce(
        isfinite(expected_purchases_12m) AND expected_purchases_12m >= 0, true
    )
   OR NOT coalesce(
        isfinite(expected_spend_per_purchase) AND expected_spend_per_purchase >= 0,
        true
    )
   OR NOT coalesce(isfinite(clv_12m) AND clv_12m >= 0, true)
ORDER BY contact_id
LIMIT ?
