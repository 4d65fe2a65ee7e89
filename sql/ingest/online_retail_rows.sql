-- Typed Online Retail rows, checked beforehand. Reads raw_online_retail.
-- {amount} is the store's amount type, which fits every unit price checked before.
CREATE OR REPLACE TEMP TABLE online_retail_rows AS
SELECT
    line,
    trim(invoice) AS invoice,
    stock_code,
    description,
    trim(quantity)::BIGINT AS quantity,
    strptime(trim(invoice_date), '%Y-%m-%d %H:%M:%S') AS invoice_time,
    trim(unit_price)::{amount} AS unit_price,
    trim(customer_id)::BIGINT::VARCHAR AS customer_id,
    country,
    starts_with(trim(invoice), 'C') AS is_cancellation,
    starts_with(trim(invoice), 'A') AS is_adjustment
FROM raw_online_retail
