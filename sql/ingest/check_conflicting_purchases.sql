-- Store purchase ids staged more than once with different content.
-- Reads ingest_purchases, which contains each distinct staged purchase once.
SELECT purchase_id
FROM ingest_purchases
GROUP BY purchase_id
HAVING count(*) > 1
