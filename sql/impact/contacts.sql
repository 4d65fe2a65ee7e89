-- Contacts that own a purchase of the batch, with their purchase metrics and RFM
-- segment before and after it. Reads deletion_outcomes (temp) and the temp tables
-- impact_before_contact_metrics, out_contact_metrics, impact_before_rfm and out_rfm.
WITH affected AS (
    SELECT DISTINCT contact_id
    FROM deletion_outcomes
    WHERE outcome = 'deleted' AND contact_id IS NOT NULL
)
SELECT
    a.contact_id,
    b.total_purchases AS purchases_before,
    n.total_purchases AS purchases_after,
    b.total_purchases_amount AS amount_before,
    n.total_purchases_amount AS amount_after,
    b.average_purchases_amount AS average_before,
    n.average_purchases_amount AS average_after,
    b.first_purchase_at AS first_purchase_before,
    n.first_purchase_at AS first_purchase_after,
    b.last_purchase_at AS last_purchase_before,
    n.last_purchase_at AS last_purchase_after,
    rb.segment AS rfm_segment_before,
    rn.segment AS rfm_segment_after
FROM affected AS a
LEFT JOIN impact_before_contact_metrics AS b USING (contact_id)
LEFT JOIN out_contact_metrics AS n USING (contact_id)
LEFT JOIN impact_before_rfm AS rb USING (contact_id)
LEFT JOIN out_rfm AS rn USING (contact_id)
ORDER BY b.total_purchases_amount DESC NULLS LAST, a.contact_id
