-- Products ranked by units sold per period, for the whole store (category null) and
-- per top-level category. Reads live_purchases, live_lines and products.
-- Parameters: $windows_days (INTEGER[], days before as_of) and $non_merchandise
-- (VARCHAR[], product ids never ranked, besides products.non_merchandise).
-- Window of N days: as_of - N days < purchased_at <= as_of. The N days are calendar
-- days in the session time zone (the store's), so a window spanning a DST change
-- still starts at as_of's local clock time. Period `all` has no lower bound.
-- One scan: each purchase gets the narrowest window holding it (its bucket), lines
-- are summed per product and bucket, and a period adds up every bucket up to its own.
-- Ties rank by revenue desc, then product id, so ranks run 1, 2, 3 without gaps.
-- NOTE: this is the slowest output at scale (32 to 37 s of a nightly run on 30
-- million lines, docs/benchmarks.md). Most of it is the grouping per product and
-- purchase, which counts distinct purchases per product.
CREATE OR REPLACE TEMP TABLE out_best_sellers AS
WITH windows AS (
    SELECT
        days,
        days || 'd' AS period,
        getvariable('as_of') - to_days(days) AS starts_after
    FROM unnest($windows_days::INTEGER[]) AS w(days)
),
periods AS (
    SELECT days, period FROM windows
    UNION ALL
    SELECT NULL, 'all'
),
excluded_products AS (
    SELECT product_id FROM lake.products WHERE non_merchandise
    UNION
    SELECT unnest($non_merchandise::VARCHAR[])
),
-- bucket_days is null for a purchase older than every window.
purchase_buckets AS (
    SELECT p.internal_id, min(w.days) AS bucket_days
    FROM live_purchases AS p
    LEFT JOIN windows AS w ON p.purchased_at > w.starts_after
    GROUP BY p.internal_id
),
-- One row per product and purchase, so purchases = count(*) further down.
product_purchases AS (
    SELECT
        l.product_id,
        l.internal_id,
        sum(l.quantity) AS units,
        sum(l.price) AS revenue
    FROM live_lines AS l
    ANTI JOIN excluded_products AS x ON x.product_id = l.product_id
    GROUP BY l.product_id, l.internal_id
),
bucket_sales AS (
    SELECT
        pp.product_id,
        b.bucket_days,
        sum(pp.units) AS units,
        count(*) AS purchases,
        sum(pp.revenue) AS revenue
    FROM product_purchases AS pp
    JOIN purchase_buckets AS b USING (internal_id)
    GROUP BY pp.product_id, b.bucket_days
),
period_sales AS (
    SELECT
        p.period,
        s.product_id,
        sum(s.units) AS units,
        sum(s.purchases) AS purchases,
        sum(s.revenue) AS revenue
    FROM bucket_sales AS s
    JOIN periods AS p ON p.days IS NULL OR s.bucket_days <= p.days
    GROUP BY p.period, s.product_id
),
-- Top-level category: the first path segment of each category, once per product.
product_categories AS (
    SELECT DISTINCT product_id, split_part(path, '/', 1) AS category
    FROM (SELECT product_id, unnest(categories) AS path FROM lake.products)
    WHERE split_part(path, '/', 1) <> ''
),
ranked_groups AS (
    SELECT period, NULL::VARCHAR AS category, product_id, units, purchases, revenue
    FROM period_sales
    UNION ALL
    SELECT s.period, c.category, s.product_id, s.units, s.purchases, s.revenue
    FROM period_sales AS s
    JOIN product_categories AS c USING (product_id)
)
SELECT
    period,
    category,
    row_number() OVER (
        PARTITION BY period, category
        ORDER BY units DESC, revenue DESC, product_id
    ) AS rank,
    product_id,
    units::BIGINT AS units,
    purchases::BIGINT AS purchases,
    revenue
FROM ranked_groups
