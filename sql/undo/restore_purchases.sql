-- Put a batch's purchases back with their internal ids, as they were in the
-- snapshot before the deletion. Reads deletion_log and purchases at that snapshot.
-- Parameters: $batch_id, $snapshot (deletion_batches.snapshot_before).
INSERT INTO lake.purchases
SELECT p.*
FROM lake.purchases AS p AT (VERSION => $snapshot)
WHERE p.internal_id IN (
    SELECT internal_id FROM lake.deletion_log
    WHERE batch_id = $batch_id AND outcome = 'deleted'
)
