-- One deletion batch's state for undo: its snapshot before the deletion, whether
-- that snapshot still exists, and when it was undone or erased.
-- Reads deletion_batches and the lake's snapshots. Parameter: $batch_id.
SELECT
    b.snapshot_before,
    b.snapshot_before IN (SELECT snapshot_id FROM lake.snapshots()) AS snapshot_kept,
    b.undone_at,
    b.erased_at,
    b.deleted
FROM lake.deletion_batches AS b
WHERE b.batch_id = $batch_id
