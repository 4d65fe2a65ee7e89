-- Point a batch at the snapshot that now holds its rows for undo.
-- Parameters: $batch_id, $snapshot.
UPDATE lake.deletion_batches
SET snapshot_before = $snapshot
WHERE batch_id = $batch_id
