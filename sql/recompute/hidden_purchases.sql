-- Internal ids that a run must not see: the batch under preview (excluded_purchases,
-- empty for a real run) and purchases made after as_of. Both sets are usually small,
-- so the live views below are anti joins against a small table instead of a join
-- of every line with every purchase.
CREATE OR REPLACE TEMP TABLE hidden_purchases AS
SELECT internal_id FROM excluded_purchases
UNION
SELECT internal_id FROM lake.purchases WHERE purchased_at > getvariable('as_of')
