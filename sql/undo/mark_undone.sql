-- Mark a deletion batch as undone now. Parameter: $batch_id.
UPDATE lake.deletion_batches
SET undone_at = get_current_timestamp()
WHERE batch_id = $batch_id
