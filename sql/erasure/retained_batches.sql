-- Deletion batches that stay restorable after a purge: younger than $cutoff, not
-- undone or erased, with their snapshot before the deletion still present.
-- Reads deletion_batches and the lake's snapshots. Parameter: $cutoff.
SELECT batch_id, snapshot_before
FROM lake.deletion_batches
WHERE erased_at IS NULL AND undone_at IS NULL AND deleted_at > $cutoff
    AND snapshot_before IN (SELECT snapshot_id FROM lake.snapshots())
ORDER BY deleted_at, batch_id
