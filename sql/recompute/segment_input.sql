-- One row per contact with every column a segment condition may use: the contact's
-- fields, its purchase metrics, its RFM scores (null outside the RFM population;
-- the RFM segment is named rfm_segment) and its CLV predictions (null without them).
-- Reads contacts, out_contact_metrics, out_rfm and the view segment_clv.
CREATE OR REPLACE TEMP VIEW segment_input AS
SELECT
    c.*,
    m.total_purchases,
    m.total_purchases_amount,
    m.average_purchases_amount,
    m.first_purchase_at,
    m.last_purchase_at,
    r.recency_days,
    r.frequency,
    r.monetary,
    r.r_score,
    r.f_score,
    r.m_score,
    r.rfm_code,
    r.segment AS rfm_segment,
    v.p_alive,
    v.churn_rate,
    v.expected_purchases_12m,
    v.expected_spend_per_purchase,
    v.clv_12m
FROM lake.contacts AS c
LEFT JOIN out_contact_metrics AS m ON m.contact_id = c.contact_id
LEFT JOIN out_rfm AS r ON r.contact_id = c.contact_id
LEFT JOIN segment_clv AS v ON v.contact_id = c.contact_id
