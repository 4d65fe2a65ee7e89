-- Store-level CLV eligibility, one row per criterion, with the same columns as
-- out_clv_eligibility. Reads live_purchases. Thresholds come in as $1 history days,
-- $2 buyers, $3 purchases and $4 buyers with 3 or more purchases. history_days counts
-- whole days from the date of the first live purchase to the date of as_of.
WITH per_contact AS (
    SELECT contact_id, count(*) AS purchases
    FROM live_purchases
    WHERE contact_id IS NOT NULL
    GROUP BY contact_id
),
store_values AS (
    SELECT
        coalesce(date_diff(
            'day',
            (SELECT min(timezone(getvariable('time_zone'), purchased_at))::DATE
             FROM live_purchases),
            timezone(getvariable('time_zone'), getvariable('as_of'))::DATE
        ), 0) AS history_days,
        (SELECT count(*) FROM per_contact) AS buyers,
        (SELECT count(*) FROM live_purchases) AS purchases,
        (SELECT count(*) FROM per_contact WHERE purchases >= 3)
            AS buyers_with_3_purchases
),
criteria AS (
    SELECT 1 AS position, 'history_days' AS criterion, history_days AS value,
        $1::BIGINT AS threshold
    FROM store_values
    UNION ALL
    SELECT 2, 'buyers', buyers, $2::BIGINT FROM store_values
    UNION ALL
    SELECT 3, 'purchases', purchases, $3::BIGINT FROM store_values
    UNION ALL
    SELECT 4, 'buyers_with_3_purchases', buyers_with_3_purchases, $4::BIGINT
    FROM store_values
)
SELECT
    criterion,
    value::BIGINT AS value,
    threshold,
    (value - threshold)::BIGINT AS margin,
    value >= threshold AS passed
FROM criteria
ORDER BY position
