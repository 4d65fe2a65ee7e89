-- New purchases with their internal ids and resolved contact ids.
-- Reads ingest_classified, ingest_contact_emails, purchases and deletion_log.
-- Internal ids continue after the greatest one ever used, deleted ones included, so
-- a purchase id that comes back after a deletion gets a new internal id. A purchase
-- with only an email takes the contact with that email (case-insensitive, the
-- smallest contact id when several share it), or else the lower-cased email as id.
CREATE OR REPLACE TEMP TABLE ingest_new_purchases AS
WITH used AS (
    SELECT greatest(
        coalesce((SELECT max(internal_id) FROM lake.purchases), 0),
        coalesce((SELECT max(internal_id) FROM lake.deletion_log), 0)
    ) AS max_internal_id
),
email_contacts AS (
    SELECT email, min(contact_id) AS contact_id
    FROM ingest_contact_emails
    GROUP BY email
)
SELECT
    used.max_internal_id
        + row_number() OVER (ORDER BY n.purchased_at, n.purchase_id) AS internal_id,
    n.purchase_id,
    coalesce(n.contact_id, e.contact_id, lower(n.contact_email)) AS contact_id,
    lower(n.contact_email) AS contact_email,
    n.purchased_at,
    n.total_price,
    n.total_quantity,
    n.payment_method,
    n.cart_id,
    n.source,
    n.attributed_workflow_id,
    n.content_hash
FROM ingest_classified AS n
CROSS JOIN used
-- An equi-join on the email alone: coalesce above prefers n.contact_id anyway, and a
-- condition on n.contact_id here would turn it into a nested loop join.
LEFT JOIN email_contacts AS e ON e.email = lower(n.contact_email)
WHERE n.status = 'new'
