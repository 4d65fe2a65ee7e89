-- Products ranked by units sold per period, for the whole store (category null) and
-- per top-level category. Reads live_lines and products.
-- Parameters: $windows_days (INTEGER[], days before as_of) and $non_merchandise
-- (VARCHAR[], product ids never ranked, besides products.non_merchandise).
-- Window of N days: as_of - N days < purchased_at <= as_of. The N days are calendar
-- days in the session time zone (the store's), so a window spanning a DST change
-- still starts at as_of's local clock time. Period `all` has no lower bound.
-- One scan of the lines: each line gets the narrowest window holding its purchase
-- time (its bucket), lines are summed per product and bucket, and a period adds up
-- every bucket up to its own. A product's purchases count its lines that do not
-- repeat the product within their purchase (purchase_lines.repeats_product).
-- The bucket is looked up per quarter hour of UTC time, as in quarter_days.sql. A
-- quarter hour after a window's start lies wholly in that window. In the quarter
-- hour that contains a window's start, each line's time is compared with the start.
-- Ties rank by revenue desc, then product id, so ranks run 1, 2, 3 without gaps.
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
window_quarters AS (
    SELECT
        days,
        starts_after,
        floor(epoch_us(starts_after) / 900000000)::BIGINT AS quarter
    FROM windows
),
-- Per quarter hour from the widest window's start to as_of: the narrowest window
-- holding the whole quarter hour, and the window that starts inside it, if any.
-- A line in no quarter hour here is older than every window: its bucket is null.
quarter_buckets AS (
    SELECT
        r.quarter,
        (
            SELECT min(w.days) FROM window_quarters AS w WHERE w.quarter < r.quarter
        ) AS bucket_days,
        (
            SELECT min(w.days) FROM window_quarters AS w WHERE w.quarter = r.quarter
        ) AS starting_days,
        (
            SELECT min(w.starts_after) FROM window_quarters AS w
            WHERE w.quarter = r.quarter
        ) AS starting_after
    FROM
        (SELECT min(quarter) AS first_quarter FROM window_quarters) AS f,
        range(
            f.first_quarter,
            floor(epoch_us(getvariable('as_of')) / 900000000)::BIGINT + 1
        ) AS r(quarter)
),
bucket_sales AS (
    SELECT
        l.product_id,
        CASE
            WHEN l.purchased_at > q.starting_after THEN q.starting_days
            ELSE q.bucket_days
        END AS bucket_days,
        sum(l.quantity) AS units,
        count(*) FILTER (WHERE NOT l.repeats_product) AS purchases,
        sum(l.price) AS revenue
    FROM live_lines AS l
    LEFT JOIN quarter_buckets AS q
        ON q.quarter = floor(epoch_us(l.purchased_at) / 900000000)::BIGINT
    GROUP BY ALL
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
    ANTI JOIN excluded_products AS x ON x.product_id = s.product_id
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
