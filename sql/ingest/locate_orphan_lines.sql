-- For each store purchase id in $1, the file and line of its first staged line.
-- Reads stage_lines.
WITH ordered AS (
    SELECT
        *,
        min(rowid) OVER (PARTITION BY source_file) AS file_order,
        rowid AS raw_row
    FROM stage_lines
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
    'lines of purchase ' || purchase_id || ', which is not in the input' AS problem
FROM staged
GROUP BY purchase_id
