-- Data check: per period and category, the units in out_best_sellers must not exceed
-- the units of every live line (non-merchandise included) sold in the period's
-- window, counted here by a direct filter per window rather than by buckets.
-- Returns the offending (period, category, ranked units, units sold), at most
-- $max_listed rows; no rows means the check passed. Reads out_best_sellers and
-- live_lines. Parameter: $windows_days (INTEGER[]).
WITH windows AS (
    SELECT days || 'd' AS period, getvariable('as_of') - to_days(days) AS starts_after
    FROM unnest($windows_days::INTEGER[]) AS w(days)
    UNION ALL
    SELECT 'all', NULL
),
sold AS (
    SELECT
        w.period,
        (
            SELECT coalesce(sum(l.quantity), 0) FROM live_lines AS l
            WHERE w.starts_after IS NULL OR l.purchased_at > w.starts_after
        ) AS units
    FROM windows AS w
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
