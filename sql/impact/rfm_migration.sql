-- RFM segment migration: contacts per (segment before, segment after). A null
-- segment means the contact is outside the RFM population on that side. Reads the
-- temp tables impact_before_rfm and out_rfm.
SELECT
    b.segment AS segment_before,
    n.segment AS segment_after,
    count(*) AS contacts
FROM impact_before_rfm AS b
FULL OUTER JOIN out_rfm AS n USING (contact_id)
GROUP BY ALL
ORDER BY segment_before NULLS LAST, segment_after NULLS LAST
