-- Stage one purchase per invoice from its kept lines (not a C or A invoice, quantity
-- above 0). Invoice times are Europe/London wall-clock times, and a purchase is made
-- at its earliest line's time and located at its first kept line. $1 is the file path.
-- Reads online_retail_rows.
INSERT INTO stage_purchases BY NAME
SELECT
    invoice AS purchase_id,
    min(customer_id) AS contact_id,
    timezone('Europe/London', min(invoice_time)) AS purchased_at,
    sum(quantity * unit_price) AS total_price,
    sum(quantity) AS total_quantity,
    'online-retail' AS source,
    $1 AS source_file,
    min(line) AS source_line
FROM online_retail_rows
WHERE NOT is_cancellation AND NOT is_adjustment AND quantity > 0
GROUP BY invoice
