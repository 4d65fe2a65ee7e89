-- Write the lines of the new purchases under their internal ids.
-- Reads ingest_lines and ingest_new_purchases. Each line also gets its purchase's
-- time and whether an earlier line of the purchase contains the same product.
INSERT INTO lake.purchase_lines BY NAME
SELECT
    p.internal_id,
    l.line_number,
    l.product_id,
    l.quantity,
    l.unit_price,
    l.price,
    p.purchased_at,
    row_number() OVER (
        PARTITION BY p.internal_id, l.product_id ORDER BY l.line_number
    ) > 1 AS repeats_product
FROM ingest_lines AS l
JOIN ingest_new_purchases AS p ON p.purchase_id = l.purchase_id
