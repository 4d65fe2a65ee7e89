-- Put the lines of a batch's purchases back, as they were in the snapshot before
-- the deletion. Reads deletion_log and purchase_lines at that snapshot.
-- Parameters: $batch_id, $snapshot (deletion_batches.snapshot_before).
INSERT INTO lake.purchase_lines
SELECT l.*
FROM lake.purchase_lines AS l AT (VERSION => $snapshot)
WHERE l.internal_id IN (
    SELECT internal_id FROM lake.deletion_log
    WHERE batch_id = $batch_id AND outcome = 'deleted'
)
