-- Revenue per day before and after the batch over the days that had sales before
-- it, for the report's chart. Reads the temp tables impact_before_daily_sales and
-- out_daily_sales.
SELECT
    b.day,
    b.revenue AS revenue_before,
    coalesce(a.revenue, 0) AS revenue_after
FROM impact_before_daily_sales AS b
LEFT JOIN out_daily_sales AS a USING (day)
ORDER BY b.day
