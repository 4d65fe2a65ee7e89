-- Store purchase ids of a batch that are live again, because they were imported
-- again after the deletion. Reads deletion_log and purchases. Parameter: $batch_id.
SELECT DISTINCT d.purchase_id
FROM lake.deletion_log AS d
SEMI JOIN lake.purchases AS p ON p.purchase_id = d.purchase_id
WHERE d.batch_id = $batch_id AND d.outcome = 'deleted'
ORDER BY d.purchase_id
