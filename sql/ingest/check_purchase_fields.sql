-- Staged purchases that lack a required field (kind 'missing') or carry a negative
-- amount or quantity (kind 'negative'), with the file and line they were read from.
-- Reads stage_purchases; one problem description per offending purchase.
SELECT
    source_file,
    source_line,
    CASE
        WHEN purchase_id IS NULL
            OR purchased_at IS NULL
            OR total_price IS NULL
            OR total_quantity IS NULL
            THEN 'missing'
        ELSE 'negative'
    END AS kind,
    'purchase ' || coalesce(purchase_id, '(no purchase id)') || ': ' || concat_ws(
        ', ',
        CASE WHEN purchase_id IS NULL THEN 'missing purchase id' END,
        CASE WHEN purchased_at IS NULL THEN 'missing purchase time' END,
        CASE WHEN total_price IS NULL THEN 'missing total price' END,
        CASE WHEN total_quantity IS NULL THEN 'missing total quantity' END,
        CASE WHEN total_price < 0 THEN 'negative total price ' || total_price END,
        CASE
            WHEN total_quantity < 0 THEN 'negative total quantity ' || total_quantity
        END
    ) AS problem
FROM stage_purchases
WHERE purchase_id IS NULL
    OR purchased_at IS NULL
    OR total_price IS NULL
    OR total_quantity IS NULL
    OR total_price < 0
    OR total_quantity < 0
