-- The lines of the text file $1 with their 1-based line numbers; carriage returns
-- are dropped, so CRLF files read like LF files.
CREATE OR REPLACE TEMP TABLE raw_text_lines AS
SELECT
    unnest(range(1, len(lines) + 1)) AS line,
    unnest(lines) AS text
FROM (
    SELECT string_split(replace(content, chr(13), ''), chr(10)) AS lines
    FROM read_text($1)
)
