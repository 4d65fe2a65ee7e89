-- The clv output: every contact, with its predictions or nulls. Reads contacts,
-- clv_summary and clv_contact_predictions. The model step registers that Arrow table
-- with the predictions of the contacts with purchases, keyed by their clv_summary
-- rowid. It is empty when the store is ineligible or the fit failed.
CREATE OR REPLACE TEMP TABLE out_clv AS
WITH predictions AS (
    SELECT s.contact_id, p.* EXCLUDE (summary_row)
    FROM clv_summary AS s
    JOIN clv_contact_predictions AS p ON p.summary_row = s.rowid
)
SELECT
    c.contact_id,
    p.p_alive,
    p.churn_rate,
    p.expected_purchases_12m,
    p.expected_spend_per_purchase,
    p.clv_12m
FROM lake.contacts AS c
LEFT JOIN predictions AS p USING (contact_id)
ORDER BY c.contact_id
