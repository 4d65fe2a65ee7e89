-- The store's purchases and revenue before the batch, the base of the guard-rail
-- shares. Reads purchases (every live purchase, whatever its time).
SELECT count(*) AS purchases, coalesce(sum(total_price), 0) AS revenue
FROM lake.purchases
