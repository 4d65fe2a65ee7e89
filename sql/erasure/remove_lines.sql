-- Remove the lines of a batch's purchases again after a replay. Reads
-- deletion_log. Parameter: $batch_id.
DELETE FROM lake.purchase_lines
WHERE internal_id IN (
    SELECT internal_id FROM lake.deletion_log
    WHERE batch_id = $batch_id AND outcome = 'deleted'
)
