-- Products named by lines of new purchases that exist neither in the store nor among
-- the staged products, described by their first line in internal id and line order.
-- $1 is the store's non_merchandise list. Reads ingest_lines, ingest_new_purchases,
-- products and stage_products.
CREATE OR REPLACE TEMP TABLE ingest_new_products AS
SELECT
    l.product_id,
    arg_min(l.product_name, (p.internal_id, l.line_number)) AS name,
    arg_min(l.brand, (p.internal_id, l.line_number)) AS brand,
    arg_min(l.categories, (p.internal_id, l.line_number)) AS categories,
    arg_min(l.unit_price, (p.internal_id, l.line_number)) AS unit_price,
    list_contains($1::VARCHAR[], l.product_id) AS non_merchandise
FROM ingest_lines AS l
JOIN ingest_new_purchases AS p ON p.purchase_id = l.purchase_id
ANTI JOIN lake.products AS c ON c.product_id = l.product_id
ANTI JOIN stage_products AS s ON s.product_id = l.product_id
GROUP BY l.product_id
