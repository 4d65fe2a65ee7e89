-- Contact emails, lower-cased, as they will be after the staged contacts are upserted.
-- Reads contacts and stage_contacts.
CREATE OR REPLACE TEMP VIEW ingest_contact_emails AS
SELECT c.contact_id, lower(c.email) AS email
FROM lake.contacts AS c
ANTI JOIN stage_contacts AS s ON s.contact_id = c.contact_id
WHERE c.email IS NOT NULL
UNION ALL
SELECT contact_id, lower(email) AS email
FROM stage_contacts
WHERE email IS NOT NULL
