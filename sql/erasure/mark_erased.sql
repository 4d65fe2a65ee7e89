-- Mark the given batches as erased now. Parameter: $batch_ids (VARCHAR[]).
UPDATE lake.deletion_batches
SET erased_at = get_current_timestamp()
WHERE batch_id IN (SELECT unnest($batch_ids::VARCHAR[]))
