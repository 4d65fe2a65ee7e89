-- Stage every StockCode of the file that is not a product yet. The name is the most
-- frequent Description and the unit price the most frequent non-negative UnitPrice
-- (ties: the greatest value). $1 lists the non-merchandise codes, and each product is
-- located at its first row of the file $2.
-- Reads online_retail_rows and products.
INSERT INTO stage_products BY NAME
WITH codes AS (
    SELECT stock_code, min(line) AS first_line
    FROM online_retail_rows
    GROUP BY stock_code
),
names AS (
    SELECT stock_code, arg_max(description, (rows, description)) AS name
    FROM (
        SELECT stock_code, description, count(*) AS rows
        FROM online_retail_rows
        WHERE description IS NOT NULL
        GROUP BY stock_code, description
    )
    GROUP BY stock_code
),
prices AS (
    SELECT stock_code, arg_max(unit_price, (rows, unit_price)) AS unit_price
    FROM (
        SELECT stock_code, unit_price, count(*) AS rows
        FROM online_retail_rows
        WHERE unit_price >= 0
        GROUP BY stock_code, unit_price
    )
    GROUP BY stock_code
)
SELECT
    c.stock_code AS product_id,
    n.name,
    p.unit_price,
    list_contains($1::VARCHAR[], c.stock_code) AS non_merchandise,
    $2 AS source_file,
    c.first_line AS source_line
FROM codes AS c
LEFT JOIN names AS n USING (stock_code)
LEFT JOIN prices AS p USING (stock_code)
ANTI JOIN lake.products AS e ON e.product_id = c.stock_code
