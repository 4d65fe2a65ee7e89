-- CDNOW rows split into text fields. Reads raw_text_lines. $1 is true for the
-- comma-separated master file, whose line 1 is the header, and false for the
-- whitespace-separated sample file (master id, sample id, date, CDs, dollars),
-- which has no header. Sample customers are named by their sample id, the id that
-- the published per-customer summary of the sample uses.
CREATE OR REPLACE TEMP TABLE raw_cdnow AS
WITH fields AS (
    SELECT
        line,
        CASE
            WHEN $1 THEN string_split(trim(text), ',')
            ELSE regexp_split_to_array(trim(text), '\s+')
        END AS parts
    FROM raw_text_lines
    WHERE trim(text) <> '' AND NOT ($1 AND line = 1)
)
SELECT
    line,
    len(parts) AS field_count,
    CASE WHEN $1 THEN parts[1] ELSE parts[2] END AS customer_text,
    CASE WHEN $1 THEN parts[2] ELSE parts[3] END AS day_text,
    CASE WHEN $1 THEN parts[3] ELSE parts[4] END AS cds_text,
    CASE WHEN $1 THEN parts[4] ELSE parts[5] END AS dollars_text
FROM fields
