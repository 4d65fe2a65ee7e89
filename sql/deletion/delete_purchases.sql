-- Remove the purchases that the batch deletes.
DELETE FROM lake.purchases
WHERE internal_id IN (
    SELECT internal_id FROM deletion_outcomes WHERE outcome = 'deleted'
)
