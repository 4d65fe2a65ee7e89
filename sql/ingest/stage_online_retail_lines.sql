-- Stage the kept lines of each invoice, numbered in file order. Exact duplicate rows
-- stay separate lines. $1 is the file path. Reads online_retail_rows.
INSERT INTO stage_lines BY NAME
SELECT
    invoice AS purchase_id,
    row_number() OVER (PARTITION BY invoice ORDER BY line) AS line_number,
    stock_code AS product_id,
    quantity,
    unit_price,
    quantity * unit_price AS price,
    description AS product_name,
    $1 AS source_file,
    line AS source_line
FROM online_retail_rows
WHERE NOT is_cancellation AND NOT is_adjustment AND quantity > 0
