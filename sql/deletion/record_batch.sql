-- Append the batch's summary row: counts per outcome and the snapshot before it.
-- Parameters: batch id, requested_by, reason, snapshot_before, impact (JSON or null).
INSERT INTO lake.deletion_batches
SELECT
    $batch_id,
    $requested_by,
    $reason,
    get_current_timestamp(),
    count(*),
    count(*) FILTER (WHERE outcome = 'deleted'),
    count(*) FILTER (WHERE outcome = 'not_found'),
    count(*) FILTER (WHERE outcome = 'already_deleted'),
    $snapshot_before,
    $impact::JSON,
    NULL,
    NULL
FROM deletion_outcomes
