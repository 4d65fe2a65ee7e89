-- Live purchases per contact, all time and within the RFM population window
-- (as_of - $population_years years < purchased_at), with contact_id null for the
-- anonymous purchases. Reads live_purchases. One grouping serves contact_metrics,
-- rfm and clv_eligibility, which each grouped the purchases by contact before.
CREATE OR REPLACE TEMP TABLE contact_totals AS
SELECT
    contact_id,
    count(*) AS purchases,
    sum(total_price) AS amount,
    min(purchased_at) AS first_purchase_at,
    max(purchased_at) AS last_purchase_at,
    count(*) FILTER (WHERE in_window) AS window_purchases,
    sum(total_price) FILTER (WHERE in_window) AS window_amount,
    max(purchased_at) FILTER (WHERE in_window) AS window_last_purchase_at
FROM (
    SELECT
        *,
        purchased_at > getvariable('as_of') - to_years($population_years::INTEGER)
            AS in_window
    FROM live_purchases
)
GROUP BY contact_id
