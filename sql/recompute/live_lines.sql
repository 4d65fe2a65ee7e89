-- Lines of the purchases in live_purchases. Reads purchase_lines and the temp table
-- hidden_purchases.
CREATE OR REPLACE TEMP VIEW live_lines AS
SELECT l.*
FROM lake.purchase_lines AS l
ANTI JOIN hidden_purchases AS h ON h.internal_id = l.internal_id
