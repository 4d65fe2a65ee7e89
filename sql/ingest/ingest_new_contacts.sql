-- Contacts named by new purchases that exist neither in the store nor among the
-- staged contacts. created_at is the contact's first purchase time, so a re-run
-- gives the same rows. Reads ingest_new_purchases, contacts and stage_contacts.
CREATE OR REPLACE TEMP TABLE ingest_new_contacts AS
SELECT
    p.contact_id,
    min(p.contact_email) AS email,
    NULL::VARCHAR AS first_name,
    NULL::VARCHAR AS last_name,
    NULL::VARCHAR AS country,
    min(p.purchased_at) AS created_at
FROM ingest_new_purchases AS p
ANTI JOIN lake.contacts AS c ON c.contact_id = p.contact_id
ANTI JOIN stage_contacts AS s ON s.contact_id = p.contact_id
WHERE p.contact_id IS NOT NULL
GROUP BY p.contact_id
