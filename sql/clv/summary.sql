-- Per contact BG/NBD summary, in the time unit of $1 days. Reads contact_days, where
-- the purchases of one contact on one day (a date in the store time zone) already
-- form one purchase day, so frequency = purchase days - 1. recency runs from the
-- first to the last purchase day, age from the first purchase day to the date of
-- as_of (its last day, which may be partly observed). monetary is the mean day total
-- of the repeat days, the first day excluded, and 0 without a repeat day.
CREATE OR REPLACE TEMP TABLE clv_summary AS
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
FROM contact_days
WHERE contact_id IS NOT NULL
GROUP BY contact_id
