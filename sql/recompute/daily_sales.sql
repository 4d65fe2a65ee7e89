-- Store analytics per day with purchases; days are dates in the store time zone.
-- Reads live_purchases. units sums total_quantity, and buyers counts distinct known
-- contacts. average_order_value is revenue / purchases, rounded half-even at six
-- more decimals than the amounts. attributed_revenue sums the purchases credited to
-- a workflow (attributed_workflow_id not null).
CREATE OR REPLACE TEMP TABLE out_daily_sales AS
SELECT
    purchased_day AS day,
    count(*) AS purchases,
    sum(total_price) AS revenue,
    sum(total_quantity)::BIGINT AS units,
    count(DISTINCT contact_id) AS buyers,
    half_even_average(sum(total_price), count(*)) AS average_order_value,
    coalesce(
        sum(total_price) FILTER (WHERE attributed_workflow_id IS NOT NULL), 0
    ) AS attributed_revenue
FROM live_purchases
GROUP BY day
