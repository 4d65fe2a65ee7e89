-- Store analytics per day with purchases; days are dates in the store time zone.
-- Reads contact_days. units sums total_quantity, and buyers counts distinct known
-- contacts, one row each in contact_days. average_order_value is revenue /
-- purchases, rounded half-even at six more decimals than the amounts.
-- attributed_revenue sums the purchases credited to a workflow
-- (attributed_workflow_id not null).
CREATE OR REPLACE TEMP TABLE out_daily_sales AS
SELECT
    day,
    sum(purchases)::BIGINT AS purchases,
    sum(day_total) AS revenue,
    sum(units)::BIGINT AS units,
    count(contact_id) AS buyers,
    half_even_average(sum(day_total), sum(purchases)) AS average_order_value,
    sum(attributed_total) AS attributed_revenue
FROM contact_days
GROUP BY day
