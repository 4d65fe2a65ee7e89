-- Columns of the named tables in a plain copy of the catalog, with DuckLake type
-- names. Reads catalog_copy.ducklake_table and ducklake_column.
-- Parameter: $tables (VARCHAR[]).
SELECT c.table_id, c.column_id, c.column_type
FROM catalog_copy.main.ducklake_column AS c
JOIN catalog_copy.main.ducklake_table AS t USING (table_id)
WHERE t.table_name IN (SELECT unnest($tables::VARCHAR[]))
    AND t.end_snapshot IS NULL AND c.end_snapshot IS NULL
