-- Append one deletion_log row per requested id of the batch, in request order.
-- Parameters: batch id, reason.
INSERT INTO lake.deletion_log
SELECT
    $batch_id AS batch_id,
    requested_id,
    outcome,
    internal_id,
    purchase_id,
    contact_id,
    total_price,
    purchased_at,
    $reason AS reason,
    get_current_timestamp() AS deleted_at
FROM deletion_outcomes
ORDER BY position
