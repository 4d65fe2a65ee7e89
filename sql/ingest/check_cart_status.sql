-- Staged carts with a status other than active, abandoned or purchased.
-- Reads stage_carts.
SELECT
    source_file,
    source_line,
    'cart ' || cart_id || ' (status ' || coalesce('''' || status || '''', 'missing')
    || ')' AS problem
FROM stage_carts
WHERE status IS NULL OR status NOT IN ('active', 'abandoned', 'purchased')
