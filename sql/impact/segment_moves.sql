-- Dynamic segment entries and exits caused by the batch: members after it compared
-- with members before it, both at the same as_of. Reads the temp tables
-- impact_before_segment_members and out_segment_members.
SELECT
    coalesce(n.segment, b.segment) AS segment,
    coalesce(n.contact_id, b.contact_id) AS contact_id,
    CASE WHEN b.contact_id IS NULL THEN 'entered' ELSE 'left' END AS change
FROM out_segment_members AS n
FULL OUTER JOIN impact_before_segment_members AS b
    ON b.segment = n.segment AND b.contact_id = n.contact_id
WHERE n.contact_id IS NULL OR b.contact_id IS NULL
ORDER BY segment, change, contact_id
