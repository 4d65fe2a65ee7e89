-- Remove the lines of the purchases that the batch deletes.
DELETE FROM lake.purchase_lines
WHERE internal_id IN (
    SELECT internal_id FROM deletion_outcomes WHERE outcome = 'deleted'
)
