-- Outcome of each requested store purchase id: deleted (live now), already_deleted
-- (in the deletion log and not live; its latest logged details are repeated) or
-- not_found. Reads requested_ids (temp), purchases and deletion_log; writes the temp
-- table deletion_outcomes.
CREATE OR REPLACE TEMP TABLE deletion_outcomes AS
WITH previously_deleted AS (
    SELECT
        purchase_id,
        arg_max(internal_id, deleted_at) AS internal_id,
        arg_max(contact_id, deleted_at) AS contact_id,
        arg_max(total_price, deleted_at) AS total_price,
        arg_max(purchased_at, deleted_at) AS purchased_at
    FROM lake.deletion_log
    WHERE outcome = 'deleted'
    GROUP BY purchase_id
)
SELECT
    r.position,
    r.requested_id,
    CASE
        WHEN p.internal_id IS NOT NULL THEN 'deleted'
        WHEN d.purchase_id IS NOT NULL THEN 'already_deleted'
        ELSE 'not_found'
    END AS outcome,
    coalesce(p.internal_id, d.internal_id) AS internal_id,
    coalesce(p.purchase_id, d.purchase_id) AS purchase_id,
    coalesce(p.contact_id, d.contact_id) AS contact_id,
    coalesce(p.total_price, d.total_price) AS total_price,
    coalesce(p.purchased_at, d.purchased_at) AS purchased_at
FROM requested_ids AS r
LEFT JOIN lake.purchases AS p ON p.purchase_id = r.requested_id
LEFT JOIN previously_deleted AS d ON d.purchase_id = r.requested_id
