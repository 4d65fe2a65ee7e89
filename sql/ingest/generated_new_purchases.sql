-- Internal ids and times of the purchases of one generated chunk, by purchase_number,
-- the purchase's position in the chunk. Reads generated_purchases, purchases and
-- deletion_log. Internal ids follow the import's rule in ingest_new_purchases.sql:
-- the greatest one ever used, then purchase time and id order. The generator writes
-- only into a store without purchases and numbers purchases uniquely, so every
-- purchase of a chunk is new.
CREATE OR REPLACE TEMP TABLE generated_new_purchases AS
WITH used AS (
    SELECT greatest(
        coalesce((SELECT max(internal_id) FROM lake.purchases), 0),
        coalesce((SELECT max(internal_id) FROM lake.deletion_log), 0)
    ) AS max_internal_id
)
SELECT
    p.purchase_number,
    used.max_internal_id
        + row_number() OVER (ORDER BY p.purchased_at, p.purchase_id) AS internal_id,
    p.purchased_at
FROM generated_purchases AS p
CROSS JOIN used
