-- Store purchase ids of staged lines without a staged purchase.
-- Reads ingest_lines and ingest_purchases.
SELECT DISTINCT l.purchase_id
FROM ingest_lines AS l
ANTI JOIN ingest_purchases AS p ON p.purchase_id = l.purchase_id
