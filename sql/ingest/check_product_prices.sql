-- Staged products with a negative unit price. Reads stage_products.
SELECT
    source_file,
    source_line,
    'product ' || product_id || ' (unit price ' || unit_price || ')' AS problem
FROM stage_products
WHERE unit_price < 0
