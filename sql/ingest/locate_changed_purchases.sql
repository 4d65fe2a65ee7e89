-- For each store purchase id in $1, the file and line of its first staged row.
-- Reads stage_purchases.
SELECT
    arg_min(source_file, rowid) AS source_file,
    arg_min(source_line, rowid) AS source_line,
    'purchase ' || purchase_id || ' was imported before with different content'
        AS problem
FROM stage_purchases
WHERE list_contains($1::VARCHAR[], purchase_id)
GROUP BY purchase_id
