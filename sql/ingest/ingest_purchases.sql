-- Staged purchases with identical duplicates removed and a content hash per purchase.
-- Reads stage_purchases and ingest_lines. The hash is the md5 of the JSON array of
-- the purchase fields followed by the XOR of each line's md5, line number included.
-- Line numbers are unique within a purchase, so the XOR ignores order but still
-- distinguishes line sets. It leaves out the source and the product names, brands and
-- categories, because they do not change the purchase. A string aggregate of the
-- lines in order gave the same guarantee at several times the cost. The file and line
-- each row was read from are dropped, so copies from different lines are identical.
CREATE OR REPLACE TEMP TABLE ingest_purchases AS
WITH purchases AS (
    SELECT DISTINCT * EXCLUDE (source_file, source_line) FROM stage_purchases
),
line_texts AS (
    SELECT
        purchase_id,
        json_array(
            line_number, product_id, quantity, unit_price::VARCHAR, price::VARCHAR
        )::VARCHAR AS line_text
    FROM ingest_lines
),
-- Two 64-bit halves: DuckDB 1.5 casts a 128-bit integer to text very slowly.
lines AS (
    SELECT
        purchase_id,
        bit_xor(md5_number_upper(line_text))::VARCHAR
            || '-' || bit_xor(md5_number_lower(line_text))::VARCHAR AS lines
    FROM line_texts
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
        )::VARCHAR || '|' || coalesce(l.lines, '')
    ) AS content_hash
FROM purchases AS p
LEFT JOIN lines AS l USING (purchase_id)
