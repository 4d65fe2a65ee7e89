-- Purchases that count for a run: made at or before as_of and not hidden (see
-- hidden_purchases). A view over the lake table, because DuckDB scans the Parquet
-- files faster than it copies them into memory, and most outputs read a purchase
-- once. Only the columns that outputs read are kept.
CREATE OR REPLACE TEMP VIEW live_purchases AS
SELECT
    p.internal_id,
    p.contact_id,
    p.purchased_at,
    p.total_price,
    p.total_quantity,
    p.attributed_workflow_id
FROM lake.purchases AS p
ANTI JOIN hidden_purchases AS h ON h.internal_id = p.internal_id
