-- Data check: per period and category, the units in out_best_sellers must not exceed
-- the units of every live line (non-merchandise included) sold in the period's
-- window, counted here by a direct filter per window rather than by buckets.
-- Returns the offending (period, category, ranked units, units sold), at most
-- $max_listed rows; no rows means the check passed. Reads out_best_sellers,
-- live_purchases and live_lines. Parameter: $windows_days (INTEGER[]).
WITH purchase_units AS (
    SELECT p.internal_id, p.purchased_at, sum(l.quantity) AS units
    FROM live_purchases AS p
    JOIN live_lines AS l USING (internal_id)
    GROUP BY p.internal_id, p.purchased_at
),
windows AS (
    SELECT days || 'd' AS period, getvariable('as_of') - to_days(days) AS starts_after
    FROM unnest($windows_days::INTEGER[]) AS w(days)
    UNION ALL
    SELECT 'all', NULL
),
sold AS (
    SELECT w.period, coalesce(sum(u.units), 0) AS units
    FROM windows AS w
    LEFT JOIN purchase_units AS u
        ON w.starts_after IS NULL OR u.purchased_at > w.starts_after
    GROUP BY w.period
),
ranked AS (
    SELECT period, category, sum(units) AS units
    FROM out_best_sellers
    GROUP BY period, category
)
SELECT r.period, r.category, r.units, coalesce(s.units, 0) AS sold
FROM ranked AS r
LEFT JOIN sold AS s USING (period)
WHERE r.units > coalesce(s.units, 0)
ORDER BY r.period, r.category NULLS FIRST
LIMIT $max_listed
