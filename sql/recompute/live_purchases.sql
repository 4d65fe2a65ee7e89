-- Purchases that count for a run: made at or before $as_of and not excluded.
-- Reads purchases and the temp table excluded_purchases (internal ids of a batch
-- under preview; empty for a real run).
CREATE OR REPLACE TEMP VIEW live_purchases AS
SELECT p.*
FROM lake.purchases AS p
WHERE p.purchased_at <= getvariable('as_of')
  AND p.internal_id NOT IN (SELECT internal_id FROM excluded_purchases)
