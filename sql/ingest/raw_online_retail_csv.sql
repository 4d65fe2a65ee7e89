-- Online Retail rows from the CSV file $1 (plain or gzip) as text. line is the line
-- in the file, counting the header as line 1.
CREATE OR REPLACE TEMP TABLE raw_online_retail AS
SELECT
    row_number() OVER () + 1 AS line,
    InvoiceNo AS invoice,
    StockCode AS stock_code,
    Description AS description,
    Quantity AS quantity,
    InvoiceDate AS invoice_date,
    UnitPrice AS unit_price,
    CustomerID AS customer_id,
    Country AS country
FROM read_csv($1, header = true, all_varchar = true)
