-- For each store purchase id in $1, the file and line where its second differing
-- version was read. Versions are ordered by read order, and a version's
-- location is that of its first copy. Reads stage_purchases.
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
),
versions AS (
    SELECT
        min(staged_row) AS first_row,
        * EXCLUDE (staged_row, source_file, source_line)
    FROM staged
    GROUP BY ALL
),
ranked AS (
    SELECT
        purchase_id,
        first_row,
        row_number() OVER (PARTITION BY purchase_id ORDER BY first_row) AS version
    FROM versions
)
SELECT
    s.source_file,
    s.source_line,
    'purchase ' || r.purchase_id || ' given again with different content' AS problem
FROM ranked AS r
JOIN staged AS s ON s.staged_row = r.first_row
WHERE r.version = 2
