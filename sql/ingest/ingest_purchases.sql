-- Staged purchases with identical duplicates removed and a content hash per purchase.
-- Reads stage_purchases and ingest_lines. The hash is the md5 of the JSON arrays of
-- the purchase fields and of each line, lines in line order. It leaves out the source
-- and the product names, brands and categories, because they do not change the
-- purchase.
CREATE OR REPLACE TEMP TABLE ingest_purchases AS
WITH purchases AS (
    SELECT DISTINCT * FROM stage_purchases
),
lines AS (
    SELECT
        purchase_id,
        string_agg(
            json_array(
                line_number, product_id, quantity, unit_price::VARCHAR, price::VARCHAR
            )::VARCHAR,
            ','
            ORDER BY line_number
        ) AS lines
    FROM ingest_lines
    GROUP BY purchase_id
)
SELECT
    p.*,
    md5(
        json_array(
            p.purchase_id,
            p.contact_id,
            lower(p.contact_email),
            epoch_us(p.purchased_at),
            p.total_price::VARCHAR,
            p.total_quantity,
            p.payment_method,
            p.cart_id,
            p.attributed_workflow_id
        )::VARCHAR || '[' || coalesce(l.lines, '') || ']'
    ) AS content_hash
FROM purchases AS p
LEFT JOIN lines AS l USING (purchase_id)
