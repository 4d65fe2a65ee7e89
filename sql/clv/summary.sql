-- Per contact BG/NBD summary over live_purchases, in the time unit of $1 days.
-- Reads live_purchases; days are dates in the store time zone. Purchases on one day
-- merge into one purchase day, so frequency = purchase days - 1. recency runs from
-- the first to the last purchase day, age from the first purchase day to the date of
-- as_of (its last day, which may be partly observed). monetary is the mean day total
-- of the repeat days, the first day excluded, and 0 without a repeat day.
CREATE OR REPLACE TEMP TABLE clv_summary AS
WITH purchase_days AS (
    SELECT
        contact_id,
        purchased_day AS day,
        sum(total_price) AS day_total
    FROM live_purchases
    WHERE contact_id IS NOT NULL
    GROUP BY ALL
)
SELECT
    contact_id,
    (count(*) - 1)::INTEGER AS frequency,
    date_diff('day', min(day), max(day)) / $1::DOUBLE AS recency,
    date_diff(
        'day',
        min(day),
        timezone(getvariable('time_zone'), getvariable('as_of'))::DATE
    ) / $1::DOUBLE AS age,
    -- The mean of the repeat days: every day's total but the first one's. The sums
    -- stay exact DECIMALs, so the result does not depend on the order of addition.
    CASE
        WHEN count(*) > 1
            THEN (sum(day_total) - arg_min(day_total, day))::DOUBLE / (count(*) - 1)
        ELSE 0
    END::DOUBLE AS monetary
FROM purchase_days
GROUP BY contact_id
