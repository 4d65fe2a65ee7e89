-- Purchases that count for a run, read once into memory for every output: made at or
-- before as_of and not hidden (see hidden_purchases). purchased_day is the purchase's
-- date in the store time zone. Converting every row's time zone is slow, so the date
-- is looked up per quarter hour of UTC time. Every current UTC offset and every
-- daylight-saving change falls on a quarter hour, so all instants of one quarter
-- hour share a local date. Only the columns that outputs read are kept, to save
-- memory.
CREATE OR REPLACE TEMP TABLE live_purchases AS
WITH visible AS (
    SELECT
        p.internal_id,
        p.contact_id,
        p.purchased_at,
        p.total_price,
        p.total_quantity,
        p.attributed_workflow_id
    FROM lake.purchases AS p
    ANTI JOIN hidden_purchases AS h ON h.internal_id = p.internal_id
),
quarters AS (
    SELECT
        floor(epoch_us(min(purchased_at)) / 900000000)::BIGINT AS first_quarter,
        floor(epoch_us(max(purchased_at)) / 900000000)::BIGINT AS last_quarter
    FROM visible
),
quarter_days AS (
    SELECT
        quarter,
        timezone(
            getvariable('time_zone'), to_timestamp(quarter * 900)
        )::DATE AS day
    FROM quarters, range(first_quarter, last_quarter + 1) AS r(quarter)
)
SELECT v.*, d.day AS purchased_day
FROM visible AS v
JOIN quarter_days AS d
    ON d.quarter = floor(epoch_us(v.purchased_at) / 900000000)::BIGINT
