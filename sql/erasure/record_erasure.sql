-- Append one erasure_records row for an erased batch. Parameters: $batch_id,
-- $internal_ids (BIGINT[]), $files_rewritten, $snapshots_expired.
INSERT INTO lake.erasure_records
VALUES (
    $batch_id,
    $internal_ids::BIGINT[],
    $files_rewritten,
    $snapshots_expired,
    get_current_timestamp(),
    NULL
)
