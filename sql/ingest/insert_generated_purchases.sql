-- Write the purchases of a generated chunk with their content hashes, as
-- insert_purchases.sql writes imported ones. Reads generated_purchases,
-- generated_lines and generated_new_purchases, and needs the content_hash macros.
-- The generator names every contact by id and never by email, so contact ids are
-- kept as given. The hash is computed here, not in a temp table, because copying
-- every column into one took 0.4 to 0.5 s of about 3 s CPU time in a DuckDB 1.5
-- profile of a chunk of 500,000 purchases.
INSERT INTO lake.purchases BY NAME
WITH line_hashes AS (
    SELECT
        purchase_number,
        purchase_line_md5(
            line_number, product_id, quantity, unit_price, price
        ) AS line_md5
    FROM generated_lines
),
lines AS (
    SELECT purchase_number, purchase_lines_digest(line_md5) AS lines
    FROM line_hashes
    GROUP BY purchase_number
)
SELECT
    n.internal_id,
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
    ) AS content_hash,
    now() AS imported_at
FROM generated_purchases AS p
JOIN generated_new_purchases AS n USING (purchase_number)
LEFT JOIN lines AS l USING (purchase_number)
