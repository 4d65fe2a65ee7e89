-- Remove a batch's purchases again after a replay. Reads deletion_log.
-- Parameter: $batch_id.
DELETE FROM lake.purchases
WHERE internal_id IN (
    SELECT internal_id FROM lake.deletion_log
    WHERE batch_id = $batch_id AND outcome = 'deleted'
)
