-- For each store purchase id in $1, the file and line where its second differing
-- version was read. Versions are ordered by staging order (rowid), and a version's
-- location is that of its first copy. Reads stage_purchases.
WITH staged AS (
    SELECT rowid AS staged_row, *
    FROM stage_purchases
    WHERE list_contains($1::VARCHAR[], purchase_id)
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
