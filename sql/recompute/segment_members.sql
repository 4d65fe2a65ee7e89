-- Members of every dynamic segment: the contacts of segment_input whose segment
-- condition is true (null counts as false). Reads segment_input.
-- {segment_conditions} becomes `(?::VARCHAR, (<condition>))` per segment, one scan
-- evaluating all of them. The conditions are store configuration and so SQL text by
-- design: pipeline/recompute/segments.py checks that each one parses as a single
-- expression and binds as BOOLEAN before it is placed here. The segment names go in
-- as parameters.
CREATE OR REPLACE TEMP TABLE out_segment_members AS
SELECT s.segment, i.contact_id
FROM segment_input AS i
CROSS JOIN LATERAL (VALUES {segment_conditions}) AS s(segment, is_member)
WHERE s.is_member
