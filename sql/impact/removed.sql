-- What the batch removes: purchases, lines, units (sum of total_quantity) and revenue
-- (sum of total_price), counting every purchase of the batch whatever its time.
-- Reads deletion_outcomes (temp), purchases and purchase_lines.
SELECT
    count(*) AS purchases,
    coalesce(sum(p.line_count), 0)::BIGINT AS lines,
    coalesce(sum(p.total_quantity), 0)::BIGINT AS units,
    coalesce(sum(p.total_price), 0) AS revenue
FROM (
    SELECT
        p.internal_id,
        p.total_quantity,
        p.total_price,
        (
            SELECT count(*) FROM lake.purchase_lines AS l
            WHERE l.internal_id = p.internal_id
        ) AS line_count
    FROM lake.purchases AS p
    SEMI JOIN deletion_outcomes AS o
        ON o.internal_id = p.internal_id AND o.outcome = 'deleted'
) AS p
