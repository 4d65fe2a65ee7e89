-- Deleted purchases that must exist nowhere but in the deletion log: deleted by a
-- batch that was not undone, and not live now. live_again is true when a later
-- import brought the same store purchase id back under a new internal id, so that
-- id may rightly appear in files. Reads deletion_log, deletion_batches, purchases.
SELECT DISTINCT
    d.internal_id,
    d.purchase_id,
    d.purchase_id IN (SELECT purchase_id FROM lake.purchases) AS live_again
FROM lake.deletion_log AS d
JOIN lake.deletion_batches AS b USING (batch_id)
WHERE d.outcome = 'deleted' AND b.undone_at IS NULL
    AND d.internal_id NOT IN (SELECT internal_id FROM lake.purchases)
ORDER BY d.internal_id
