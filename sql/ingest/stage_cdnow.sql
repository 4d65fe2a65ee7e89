-- Stage one purchase per CDNOW row. Reads raw_cdnow, checked beforehand.
-- $1 is the store time zone: a purchase is made at midnight of its day there, and $2
-- is the file path.
-- Purchase ids are cdnow-<customer>-<yyyymmdd>-<k>, where k numbers the rows of one
-- customer and day in file order, so a re-import gives the same ids.
INSERT INTO stage_purchases BY NAME
SELECT
    'cdnow-' || customer_id || '-' || strftime(day, '%Y%m%d') || '-'
        || row_number() OVER (PARTITION BY customer_id, day ORDER BY line)
        AS purchase_id,
    customer_id AS contact_id,
    timezone($1, day::TIMESTAMP) AS purchased_at,
    dollars AS total_price,
    cds AS total_quantity,
    'cdnow' AS source,
    $2 AS source_file,
    line AS source_line
FROM (
    SELECT
        line,
        trim(customer_text)::BIGINT::VARCHAR AS customer_id,
        CASE
            WHEN day_text LIKE '%-%' THEN strptime(trim(day_text), '%Y-%m-%d')
            ELSE strptime(trim(day_text), '%Y%m%d')
        END::DATE AS day,
        trim(dollars_text) AS dollars,
        trim(cds_text)::BIGINT AS cds
    FROM raw_cdnow
)
