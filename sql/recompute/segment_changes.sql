-- Contacts that entered or left a dynamic segment in this run: out_segment_members
-- compared with the published lake.segment_members. A segment removed from the
-- settings shows all its former members as left. Parameter: $run_id.
CREATE OR REPLACE TEMP TABLE out_segment_changes AS
SELECT
    $run_id::VARCHAR AS run_id,
    coalesce(n.segment, o.segment) AS segment,
    coalesce(n.contact_id, o.contact_id) AS contact_id,
    CASE WHEN o.contact_id IS NULL THEN 'entered' ELSE 'left' END AS change
FROM out_segment_members AS n
FULL OUTER JOIN lake.segment_members AS o
    ON o.segment = n.segment AND o.contact_id = n.contact_id
WHERE n.contact_id IS NULL OR o.contact_id IS NULL
