-- Staged purchases classified against the live ones by store purchase id: new,
-- unchanged (same content hash) or changed. Reads ingest_purchases and purchases.
CREATE OR REPLACE TEMP TABLE ingest_classified AS
SELECT
    s.*,
    CASE
        WHEN p.purchase_id IS NULL THEN 'new'
        WHEN p.content_hash = s.content_hash THEN 'unchanged'
        ELSE 'changed'
    END AS status
FROM ingest_purchases AS s
LEFT JOIN lake.purchases AS p ON p.purchase_id = s.purchase_id
