-- Outcome of each requested internal id: deleted (live now), already_deleted (in the
-- deletion log and not live) or not_found. Internal ids are never reused, so a
-- logged one that is not live was deleted before. Reads requested_ids (temp),
-- purchases and deletion_log; writes the temp table deletion_outcomes.
CREATE OR REPLACE TEMP TABLE deletion_outcomes AS
WITH previously_deleted AS (
    SELECT
        internal_id,
        any_value(purchase_id) AS purchase_id,
        any_value(contact_id) AS contact_id,
        any_value(total_price) AS total_price,
        any_value(purchased_at) AS purchased_at
    FROM lake.deletion_log
    WHERE outcome = 'deleted'
    GROUP BY internal_id
)
SELECT
    r.position,
    r.requested_id,
    CASE
        WHEN p.internal_id IS NOT NULL THEN 'deleted'
        WHEN d.internal_id IS NOT NULL THEN 'already_deleted'
        ELSE 'not_found'
    END AS outcome,
    coalesce(p.internal_id, d.internal_id) AS internal_id,
    coalesce(p.purchase_id, d.purchase_id) AS purchase_id,
    coalesce(p.contact_id, d.contact_id) AS contact_id,
    coalesce(p.total_price, d.total_price) AS total_price,
    coalesce(p.purchased_at, d.purchased_at) AS purchased_at
FROM requested_ids AS r
LEFT JOIN lake.purchases AS p ON p.internal_id = r.requested_id::BIGINT
LEFT JOIN previously_deleted AS d ON d.internal_id = r.requested_id::BIGINT
