-- Lines of the purchases in live_purchases.
CREATE OR REPLACE TEMP VIEW live_lines AS
SELECT l.*
FROM lake.purchase_lines AS l
SEMI JOIN live_purchases AS p ON p.internal_id = l.internal_id
