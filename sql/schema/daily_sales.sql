-- Store analytics per day (store time zone) with purchases.
CREATE TABLE IF NOT EXISTS daily_sales (
    day DATE NOT NULL,
    purchases BIGINT NOT NULL,
    revenue {amount_sum} NOT NULL,
    units BIGINT NOT NULL,
    buyers BIGINT NOT NULL,             -- distinct known contacts
    average_order_value {amount_avg} NOT NULL,
    attributed_revenue {amount_sum} NOT NULL
)
