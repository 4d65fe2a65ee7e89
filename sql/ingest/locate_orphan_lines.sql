-- For each store purchase id in $1, the file and line of its first staged line.
-- Reads stage_lines.
SELECT
    arg_min(source_file, rowid) AS source_file,
    arg_min(source_line, rowid) AS source_line,
    'lines of purchase ' || purchase_id || ', which is not in the input' AS problem
FROM stage_lines
WHERE list_contains($1::VARCHAR[], purchase_id)
GROUP BY purchase_id
