-- Store-level CLV eligibility, one row per criterion with its value, threshold,
-- margin (value - threshold) and passed (value >= threshold). Reads contact_totals.
-- history_days: whole days from the date of the first live purchase to as_of's date,
-- both in the store time zone; 0 without purchases.
-- buyers: distinct known contacts. purchases: every live purchase, anonymous ones
-- included, because they are purchases of the store.
-- buyers_with_3_purchases: contacts with 3 or more live purchases.
-- Thresholds: $min_history_days, $min_buyers, $min_purchases and
-- $min_buyers_with_3_purchases.
CREATE OR REPLACE TEMP TABLE out_clv_eligibility AS
WITH per_contact AS (
    SELECT contact_id, purchases FROM contact_totals WHERE contact_id IS NOT NULL
),
store AS (
    SELECT
        coalesce(
            timezone(getvariable('time_zone'), getvariable('as_of'))::DATE
            - timezone(getvariable('time_zone'), min(first_purchase_at))::DATE,
            0
        ) AS history_days,
        coalesce(sum(purchases), 0) AS purchases
    FROM contact_totals
),
criteria AS (
    SELECT 1 AS position, 'history_days' AS criterion, history_days AS value,
        $min_history_days AS threshold
    FROM store
    UNION ALL
    SELECT 2, 'buyers', (SELECT count(*) FROM per_contact), $min_buyers
    UNION ALL
    SELECT 3, 'purchases', purchases, $min_purchases FROM store
    UNION ALL
    SELECT 4, 'buyers_with_3_purchases',
        (SELECT count(*) FROM per_contact WHERE purchases >= 3),
        $min_buyers_with_3_purchases
)
SELECT
    criterion,
    value::BIGINT AS value,
    threshold::BIGINT AS threshold,
    (value - threshold)::BIGINT AS margin,
    value >= threshold AS passed
FROM criteria
ORDER BY position
