-- Purchases that count for a run: made at or before as_of and not excluded.
-- Reads purchases and the temp table hidden_purchases.
CREATE OR REPLACE TEMP VIEW live_purchases AS
SELECT p.*
FROM lake.purchases AS p
ANTI JOIN hidden_purchases AS h ON h.internal_id = p.internal_id
