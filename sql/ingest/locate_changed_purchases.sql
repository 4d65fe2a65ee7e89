-- For each store purchase id in $1, the file and line of its first staged row.
-- Reads stage_purchases.
WITH ordered AS (
    SELECT
        *,
        min(rowid) OVER (PARTITION BY source_file) AS file_order,
        rowid AS raw_row
    FROM stage_purchases
    WHERE list_contains($1::VARCHAR[], purchase_id)
),
-- Read order: files in staging order, then lines in file order. Rows of one file
-- may be staged out of order, because DuckDB inserts in parallel.
staged AS (
    SELECT
        row_number() OVER (ORDER BY file_order, source_line, raw_row) AS staged_row,
        * EXCLUDE (file_order, raw_row)
    FROM ordered
)
SELECT
    arg_min(source_file, staged_row) AS source_file,
    arg_min(source_line, staged_row) AS source_line,
    'purchase ' || purchase_id || ' was imported before with different content'
        AS problem
FROM staged
GROUP BY purchase_id
