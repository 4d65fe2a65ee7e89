-- Store analytics per day with purchases; days are dates in the store time zone.
-- Reads live_purchases and contact_days. units sums total_quantity, and buyers
-- counts distinct known contacts, one row each in contact_days. average_order_value
-- is revenue / purchases, rounded half-even at six more decimals than the amounts.
-- attributed_revenue sums the purchases credited to a workflow
-- (attributed_workflow_id not null).
CREATE OR REPLACE TEMP TABLE out_daily_sales AS
WITH days AS (
    SELECT
        purchased_day AS day,
        count(*) AS purchases,
        sum(total_price) AS revenue,
        sum(total_quantity)::BIGINT AS units,
        half_even_average(sum(total_price), count(*)) AS average_order_value,
        coalesce(
            sum(total_price) FILTER (WHERE attributed_workflow_id IS NOT NULL), 0
        ) AS attributed_revenue
    FROM live_purchases
    GROUP BY day
),
buyers AS (
    SELECT day, count(*) AS buyers FROM contact_days GROUP BY day
)
SELECT
    d.day,
    d.purchases,
    d.revenue,
    d.units,
    coalesce(b.buyers, 0) AS buyers,
    d.average_order_value,
    d.attributed_revenue
FROM days AS d
LEFT JOIN buyers AS b USING (day)
