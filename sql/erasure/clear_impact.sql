-- Drop the stored impact of the given erasure batches, because it lists the
-- affected contacts and their metrics. Parameter: $batch_ids (VARCHAR[]).
UPDATE lake.deletion_batches
SET impact = NULL
WHERE batch_id IN (SELECT unnest($batch_ids::VARCHAR[])) AND impact IS NOT NULL
