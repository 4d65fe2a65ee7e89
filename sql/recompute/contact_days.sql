-- Live purchases per contact and day, the day a date in the store time zone (see
-- quarter_days), with contact_id null for the anonymous purchases of the day.
-- Reads live_purchases and quarter_days. Built once per run because daily_sales
-- (per day) and the CLV summary (purchase days per contact) both start from this
-- grouping, which is the costly part of each.
CREATE OR REPLACE TEMP TABLE contact_days AS
SELECT
    p.contact_id,
    d.day,
    count(*) AS purchases,
    sum(p.total_price) AS day_total,
    sum(p.total_quantity) AS units,
    coalesce(
        sum(p.total_price) FILTER (WHERE p.attributed_workflow_id IS NOT NULL), 0
    ) AS attributed_total
FROM live_purchases AS p
JOIN quarter_days AS d
    ON d.quarter = floor(epoch_us(p.purchased_at) / 900000000)::BIGINT
GROUP BY p.contact_id, d.day
