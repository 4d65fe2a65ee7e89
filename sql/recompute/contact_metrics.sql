-- Per contact purchase metrics over live_purchases; every contact gets a row.
-- Reads contacts and live_purchases. average_purchases_amount divides exactly and
-- rounds half-even at six more decimals than the amounts (see half_even_average).
CREATE OR REPLACE TEMP TABLE out_contact_metrics AS
WITH per_contact AS (
    SELECT
        contact_id,
        count(*) AS total_purchases,
        sum(total_price) AS total_purchases_amount,
        min(purchased_at) AS first_purchase_at,
        max(purchased_at) AS last_purchase_at
    FROM live_purchases
    WHERE contact_id IS NOT NULL
    GROUP BY contact_id
)
SELECT
    c.contact_id,
    coalesce(m.total_purchases, 0) AS total_purchases,
    coalesce(m.total_purchases_amount, 0) AS total_purchases_amount,
    half_even_average(m.total_purchases_amount, m.total_purchases)
        AS average_purchases_amount,
    m.first_purchase_at,
    m.last_purchase_at
FROM lake.contacts AS c
LEFT JOIN per_contact AS m USING (contact_id)
