-- Products that would have more than $1 related products once the staged ones are
-- upserted. Reads related_products and stage_related_products.
WITH after_upsert AS (
    SELECT r.product_id, r.related_product_id
    FROM lake.related_products AS r
    ANTI JOIN stage_related_products AS s
        ON s.product_id = r.product_id
        AND s.related_product_id = r.related_product_id
    UNION ALL
    SELECT product_id, related_product_id
    FROM stage_related_products
)
SELECT product_id || ' (' || count(*) || ' related products)' AS problem
FROM after_upsert
GROUP BY product_id
HAVING count(*) > $1
