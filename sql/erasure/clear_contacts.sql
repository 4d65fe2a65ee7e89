-- Clear the contact of every deletion_log row of the given erasure batches.
-- Parameter: $batch_ids (VARCHAR[]).
UPDATE lake.deletion_log
SET contact_id = NULL
WHERE batch_id IN (SELECT unnest($batch_ids::VARCHAR[])) AND contact_id IS NOT NULL
