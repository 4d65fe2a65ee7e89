-- Staged purchases whose id is live with a different content hash.
-- Reads ingest_classified.
SELECT purchase_id
FROM ingest_classified
WHERE status = 'changed'
