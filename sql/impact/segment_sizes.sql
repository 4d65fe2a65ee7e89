-- Members per dynamic segment before and after the batch. Reads the temp tables
-- impact_before_segment_members and out_segment_members.
WITH before AS (
    SELECT segment, count(*) AS members
    FROM impact_before_segment_members
    GROUP BY segment
),
after AS (
    SELECT segment, count(*) AS members
    FROM out_segment_members
    GROUP BY segment
)
SELECT
    coalesce(a.segment, b.segment) AS segment,
    coalesce(b.members, 0) AS members_before,
    coalesce(a.members, 0) AS members_after
FROM after AS a
FULL OUTER JOIN before AS b USING (segment)
ORDER BY segment
