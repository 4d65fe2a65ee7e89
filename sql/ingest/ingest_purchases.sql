-- Staged purchases with identical duplicates removed and a content hash per purchase.
-- Reads stage_purchases and ingest_lines, and needs the macros purchase_line_md5,
-- purchase_lines_digest and purchase_content_hash, which define the hash. The file
-- and line each row was read from are dropped, so copies from different lines are
-- identical.
CREATE OR REPLACE TEMP TABLE ingest_purchases AS
WITH purchases AS (
    SELECT DISTINCT * EXCLUDE (source_file, source_line) FROM stage_purchases
),
line_hashes AS (
    SELECT
        purchase_id,
        purchase_line_md5(
            line_number, product_id, quantity, unit_price, price
        ) AS line_md5
    FROM ingest_lines
),
lines AS (
    SELECT purchase_id, purchase_lines_digest(line_md5) AS lines
    FROM line_hashes
    GROUP BY purchase_id
)
SELECT
    p.*,
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
FROM purchases AS p
LEFT JOIN lines AS l USING (purchase_id)
