-- Days whose sales the batch changes: purchases, revenue and units before and after
-- (0 on a side without purchases). Reads the temp tables impact_before_daily_sales
-- and out_daily_sales.
SELECT
    coalesce(a.day, b.day) AS day,
    coalesce(b.purchases, 0) AS purchases_before,
    coalesce(a.purchases, 0) AS purchases_after,
    coalesce(b.revenue, 0) AS revenue_before,
    coalesce(a.revenue, 0) AS revenue_after,
    coalesce(b.units, 0) AS units_before,
    coalesce(a.units, 0) AS units_after
FROM out_daily_sales AS a
FULL OUTER JOIN impact_before_daily_sales AS b USING (day)
WHERE a.day IS NULL OR b.day IS NULL OR a.revenue <> b.revenue
    OR a.purchases <> b.purchases OR a.units <> b.units
ORDER BY day
