-- Store purchase ids with a line staged more than once under one number with
-- different content. Reads ingest_lines, which contains each distinct staged line once.
SELECT DISTINCT purchase_id
FROM ingest_lines
GROUP BY purchase_id, line_number
HAVING count(*) > 1
