-- Stage purchase lines read from a JSON Lines or flat line file, checked beforehand.
-- A missing price is quantity times unit price.
-- Reads raw_lines, whose columns are the JSON fields as text and `line`, the line of
-- the file each row was read from. $1 is the file path.
INSERT INTO stage_lines BY NAME
SELECT
    trim(purchaseId) AS purchase_id,
    lineNumber AS line_number,
    trim(productId) AS product_id,
    trim(quantity)::BIGINT AS quantity,
    trim(unitPrice) AS unit_price,
    coalesce(
        trim(price)::{amount},
        trim(quantity)::BIGINT * trim(unitPrice)::{amount}
    ) AS price,
    name AS product_name,
    brand,
    categories,
    $1 AS source_file,
    line AS source_line
FROM raw_lines
