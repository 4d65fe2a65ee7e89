-- Per known contact and purchase day: the purchases and their total. Reads
-- live_purchases; days are dates in the store time zone. Built once per run because
-- both daily_sales (buyers per day) and the CLV summary (purchase days per contact)
-- need this grouping, which is the costly part of each.
CREATE OR REPLACE TEMP TABLE contact_days AS
SELECT
    contact_id,
    purchased_day AS day,
    count(*) AS purchases,
    sum(total_price) AS day_total
FROM live_purchases
WHERE contact_id IS NOT NULL
GROUP BY contact_id, purchased_day
