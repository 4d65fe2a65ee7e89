-- Rank changes in the store-wide top $top_n best sellers (category null) per
-- period: products that entered or left the top, and those whose rank moved.
-- Reads the temp tables impact_before_best_sellers and out_best_sellers.
WITH before AS (
    SELECT period, product_id, rank, units
    FROM impact_before_best_sellers
    WHERE category IS NULL AND rank <= $top_n
),
after AS (
    SELECT period, product_id, rank, units
    FROM out_best_sellers
    WHERE category IS NULL AND rank <= $top_n
)
SELECT
    coalesce(a.period, b.period) AS period,
    coalesce(a.product_id, b.product_id) AS product_id,
    b.rank AS rank_before,
    a.rank AS rank_after,
    b.units AS units_before,
    a.units AS units_after,
    CASE
        WHEN b.rank IS NULL THEN 'entered'
        WHEN a.rank IS NULL THEN 'left'
        ELSE 'moved'
    END AS change
FROM after AS a
FULL OUTER JOIN before AS b USING (period, product_id)
WHERE a.rank IS DISTINCT FROM b.rank
ORDER BY period, change, coalesce(b.rank, a.rank)
