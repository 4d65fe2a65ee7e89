-- Purchase lines staged more than once under one number with different content.
-- Reads ingest_lines, which contains each distinct staged line once.
SELECT purchase_id || ' line ' || line_number AS problem
FROM ingest_lines
GROUP BY purchase_id, line_number
HAVING count(*) > 1
