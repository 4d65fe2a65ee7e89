-- The date in the store time zone of every quarter hour of UTC time from the first
-- purchase to as_of. Converting every row's time zone is slow, so outputs look the
-- date up by quarter hour instead. Every current UTC offset and every daylight-saving
-- change falls on a quarter hour, so all instants of one quarter hour share a local
-- date. quarter = floor(epoch microseconds / 900,000,000). Reads purchases.
CREATE OR REPLACE TEMP TABLE quarter_days AS
WITH span AS (
    SELECT
        floor(epoch_us(min(purchased_at)) / 900000000)::BIGINT AS first_quarter,
        floor(epoch_us(getvariable('as_of')) / 900000000)::BIGINT AS last_quarter
    FROM lake.purchases
)
SELECT
    quarter,
    timezone(getvariable('time_zone'), to_timestamp(quarter * 900))::DATE AS day
FROM span, range(first_quarter, last_quarter + 1) AS r(quarter)
