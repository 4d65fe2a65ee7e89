-- Write the lines of the new purchases under their internal ids.
-- Reads ingest_lines and ingest_new_purchases.
INSERT INTO lake.purchase_lines BY NAME
SELECT
    p.internal_id,
    l.line_number,
    l.product_id,
    l.quantity,
    l.unit_price,
    l.price
FROM ingest_lines AS l
JOIN ingest_new_purchases AS p ON p.purchase_id = l.purchase_id
