-- Staged purchases with identical duplicates removed and a content hash per purchase.
-- Reads stage_purchases and ingest_lines. The hash is the md5 of a JSON document of
-- the purchase fields and its lines in line order. It leaves out the source and the
-- product names, brands and categories, because they do not change the purchase.
CREATE OR REPLACE TEMP TABLE ingest_purchases AS
WITH purchases AS (
    SELECT DISTINCT * FROM stage_purchases
),
lines AS (
    SELECT
        purchase_id,
        list(
            {
                'n': line_number,
                'product': product_id,
                'quantity': quantity,
                'unit_price': unit_price::VARCHAR,
                'price': price::VARCHAR
            }
            ORDER BY line_number
        ) AS lines
    FROM ingest_lines
    GROUP BY purchase_id
)
SELECT
    p.*,
    md5(
        to_json({
            'purchase_id': p.purchase_id,
            'contact_id': p.contact_id,
            'contact_email': lower(p.contact_email),
            'purchased_at_us': epoch_us(p.purchased_at),
            'total_price': p.total_price::VARCHAR,
            'total_quantity': p.total_quantity,
            'payment_method': p.payment_method,
            'cart_id': p.cart_id,
            'attributed_workflow_id': p.attributed_workflow_id,
            'lines': coalesce(l.lines, [])
        })::VARCHAR
    ) AS content_hash
FROM purchases AS p
LEFT JOIN lines AS l USING (purchase_id)
