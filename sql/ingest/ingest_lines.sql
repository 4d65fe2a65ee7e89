-- Staged lines with identical duplicates removed. Reads stage_lines.
-- The source columns are left out, so copies read from different lines are identical.
-- NOTE: lines carry no staging occurrence, so two copies of one purchase whose line
-- sets differ only by extra lines (1 and 2 against 1) merge instead of conflicting.
CREATE OR REPLACE TEMP TABLE ingest_lines AS
SELECT DISTINCT * EXCLUDE (source_file, source_line)
FROM stage_lines
