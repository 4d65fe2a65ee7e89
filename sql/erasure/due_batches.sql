-- Deletion batches due for physical erasure: deleted at or before $cutoff, neither
-- undone nor erased yet, with the internal ids of the purchases they deleted.
-- Reads deletion_batches and deletion_log. Parameter: $cutoff (TIMESTAMPTZ).
SELECT
    b.batch_id,
    b.reason,
    coalesce(
        list(d.internal_id ORDER BY d.internal_id)
            FILTER (WHERE d.outcome = 'deleted'),
        []
    ) AS internal_ids
FROM lake.deletion_batches AS b
LEFT JOIN lake.deletion_log AS d USING (batch_id)
WHERE b.erased_at IS NULL AND b.undone_at IS NULL AND b.deleted_at <= $cutoff
GROUP BY b.batch_id, b.reason, b.deleted_at
ORDER BY b.deleted_at, b.batch_id
