-- Staged lines that lack a required field (kind 'missing') or carry a negative amount
-- or quantity (kind 'negative'), with the file and line they were read from.
-- Reads stage_lines; one problem description per offending line.
SELECT
    source_file,
    source_line,
    CASE
        WHEN purchase_id IS NULL
            OR line_number IS NULL
            OR product_id IS NULL
            OR quantity IS NULL
            OR unit_price IS NULL
            OR price IS NULL
            THEN 'missing'
        ELSE 'negative'
    END AS kind,
    'line ' || coalesce(line_number::VARCHAR, '(no number)') || ' of purchase '
    || coalesce(purchase_id, '(no purchase id)') || ': ' || concat_ws(
        ', ',
        CASE WHEN purchase_id IS NULL THEN 'missing purchase id' END,
        CASE WHEN line_number IS NULL THEN 'missing line number' END,
        CASE WHEN product_id IS NULL THEN 'missing product id' END,
        CASE WHEN quantity IS NULL THEN 'missing quantity' END,
        CASE WHEN unit_price IS NULL THEN 'missing unit price' END,
        CASE WHEN price IS NULL THEN 'missing price' END,
        CASE WHEN quantity < 0 THEN 'negative quantity ' || quantity END,
        CASE WHEN unit_price < 0 THEN 'negative unit price ' || unit_price END,
        CASE WHEN price < 0 THEN 'negative price ' || price END
    ) AS problem
FROM stage_lines
WHERE purchase_id IS NULL
    OR line_number IS NULL
    OR product_id IS NULL
    OR quantity IS NULL
    OR unit_price IS NULL
    OR price IS NULL
    OR quantity < 0
    OR unit_price < 0
    OR price < 0
