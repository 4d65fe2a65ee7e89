-- Stage every CustomerID of the file that is not a contact yet, with the country of
-- most of its rows (ties: the greatest name) and its first row's time as created_at.
-- Each is located at its first row of the file $1. Reads online_retail_rows and
-- contacts.
INSERT INTO stage_contacts BY NAME
WITH per_country AS (
    SELECT
        customer_id,
        country,
        count(*) AS rows,
        min(invoice_time) AS first_time,
        min(line) AS first_line
    FROM online_retail_rows
    WHERE customer_id IS NOT NULL
    GROUP BY customer_id, country
)
SELECT
    p.customer_id AS contact_id,
    arg_max(p.country, (p.rows, p.country)) AS country,
    timezone('Europe/London', min(p.first_time)) AS created_at,
    $1 AS source_file,
    min(p.first_line) AS source_line
FROM per_country AS p
ANTI JOIN lake.contacts AS c ON c.contact_id = p.customer_id
GROUP BY p.customer_id
