-- Dashboard view: daily_sales for the 30 days up to and including the latest day in
-- the table (not today), so a store without recent sales still shows its last month.
CREATE VIEW IF NOT EXISTS daily_sales_last_30_days AS
SELECT *
FROM daily_sales
WHERE day > (SELECT max(day) FROM daily_sales) - 30
