-- Per contact purchase metrics over the live purchases; every contact gets a row.
-- Reads contacts and contact_totals. average_purchases_amount divides exactly and
-- rounds half-even at six more decimals than the amounts (see half_even_average).
CREATE OR REPLACE TEMP TABLE out_contact_metrics AS
SELECT
    c.contact_id,
    coalesce(m.purchases, 0) AS total_purchases,
    coalesce(m.amount, 0) AS total_purchases_amount,
    half_even_average(m.amount, m.purchases) AS average_purchases_amount,
    m.first_purchase_at,
    m.last_purchase_at
FROM lake.contacts AS c
LEFT JOIN contact_totals AS m USING (contact_id)
