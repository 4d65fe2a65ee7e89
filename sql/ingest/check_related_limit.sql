-- Products that would have more than $1 related products once the staged ones are
-- upserted, located at their first staged row. Reads related_products and
-- stage_related_products.
WITH after_upsert AS (
    SELECT
        r.product_id,
        r.related_product_id,
        NULL::VARCHAR AS source_file,
        NULL::BIGINT AS source_line
    FROM lake.related_products AS r
    ANTI JOIN stage_related_products AS s
        ON s.product_id = r.product_id
        AND s.related_product_id = r.related_product_id
    UNION ALL
    SELECT product_id, related_product_id, source_file, source_line
    FROM stage_related_products
)
SELECT
    arg_min(source_file, source_line) AS source_file,
    min(source_line) AS source_line,
    'product ' || product_id || ' (' || count(*) || ' related products)' AS problem
FROM after_upsert
GROUP BY product_id
HAVING count(*) > $1
