-- Write the lines of a generated chunk under their purchases' internal ids.
-- Reads generated_lines and generated_new_purchases.
INSERT INTO lake.purchase_lines BY NAME
SELECT
    p.internal_id,
    l.line_number,
    l.product_id,
    l.quantity,
    l.unit_price,
    l.price
FROM generated_lines AS l
JOIN generated_new_purchases AS p ON p.purchase_number = l.purchase_number
