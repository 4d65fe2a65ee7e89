-- Online Retail rows from the Parquet file $1 as text, with their 1-based row number
-- as line. UnitPrice is a DOUBLE there, and DuckDB writes a DOUBLE as the shortest
-- text that reads back to the same value, so 2.55 stays 2.55.
CREATE OR REPLACE TEMP TABLE raw_online_retail AS
SELECT
    file_row_number + 1 AS line,
    InvoiceNo::VARCHAR AS invoice,
    StockCode::VARCHAR AS stock_code,
    Description::VARCHAR AS description,
    Quantity::VARCHAR AS quantity,
    strftime(InvoiceDate::TIMESTAMP, '%Y-%m-%d %H:%M:%S') AS invoice_date,
    UnitPrice::VARCHAR AS unit_price,
    CustomerID::VARCHAR AS customer_id,
    Country::VARCHAR AS country
FROM read_parquet($1, file_row_number = true)
