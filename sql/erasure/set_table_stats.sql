-- Set one column's table-level min and max in a plain copy of the catalog to the
-- extremes over the statistics of the live data files, or null without any.
-- Each extreme keeps the text of the file statistic it comes from. {value_type}
-- is the DuckDB type of the column, from a fixed list of DuckLake types.
-- Parameters: $table_id, $column_id.
UPDATE catalog_copy.main.ducklake_table_column_stats
SET
    min_value = live.min_value,
    max_value = live.max_value
FROM (
    SELECT
        arg_min(f.min_value, TRY_CAST(f.min_value AS {value_type})) AS min_value,
        arg_max(f.max_value, TRY_CAST(f.max_value AS {value_type})) AS max_value
    FROM catalog_copy.main.ducklake_file_column_stats AS f
    JOIN catalog_copy.main.ducklake_data_file AS d USING (data_file_id)
    WHERE d.end_snapshot IS NULL AND f.table_id = $table_id
        AND f.column_id = $column_id
) AS live
WHERE table_id = $table_id AND column_id = $column_id
