-- Write the lines of a generated chunk under their purchases' internal ids.
-- Reads generated_lines and generated_new_purchases. Each line also gets its
-- purchase's time; the generator flags the lines that repeat a product of their
-- purchase (repeats_product) before they get here.
INSERT INTO lake.purchase_lines BY NAME
SELECT
    p.internal_id,
    l.line_number,
    l.product_id,
    l.quantity,
    l.unit_price,
    l.price,
    p.purchased_at,
    l.repeats_product
FROM generated_lines AS l
JOIN generated_new_purchases AS p ON p.purchase_number = l.purchase_number
