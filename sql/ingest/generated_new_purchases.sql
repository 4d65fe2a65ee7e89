-- Purchases of one generated chunk with their internal ids and content hashes, as
-- ingest_new_purchases.sql would give them. Reads generated_purchases,
-- generated_lines, purchases and deletion_log, and needs the content_hash macros.
-- The generator writes only into a store without purchases and numbers purchases
-- uniquely, so no purchase is a copy, a conflict or a change. It names every contact
-- by id and never by email, so contact ids are kept as given. Internal ids follow
-- the import's rule: the greatest one ever used, then purchase time and id order.
CREATE OR REPLACE TEMP TABLE generated_new_purchases AS
WITH used AS (
    SELECT greatest(
        coalesce((SELECT max(internal_id) FROM lake.purchases), 0),
        coalesce((SELECT max(internal_id) FROM lake.deletion_log), 0)
    ) AS max_internal_id
),
line_hashes AS (
    SELECT
        purchase_id,
        purchase_line_md5(
            line_number, product_id, quantity, unit_price, price
        ) AS line_md5
    FROM generated_lines
),
lines AS (
    SELECT purchase_id, purchase_lines_digest(line_md5) AS lines
    FROM line_hashes
    GROUP BY purchase_id
)
SELECT
    used.max_internal_id
        + row_number() OVER (ORDER BY p.purchased_at, p.purchase_id) AS internal_id,
    p.purchase_id,
    p.contact_id,
    p.purchased_at,
    p.total_price,
    p.total_quantity,
    p.payment_method,
    p.cart_id,
    p.source,
    p.attributed_workflow_id,
    purchase_content_hash(
        p.purchase_id,
        p.contact_id,
        p.contact_email,
        p.purchased_at,
        p.total_price,
        p.total_quantity,
        p.payment_method,
        p.cart_id,
        p.attributed_workflow_id,
        l.lines
    ) AS content_hash
FROM generated_purchases AS p
CROSS JOIN used
LEFT JOIN lines AS l USING (purchase_id)
