-- Contacts exist independently of purchases; deletions never touch them.
CREATE TABLE IF NOT EXISTS contacts (
    contact_id VARCHAR NOT NULL,
    email VARCHAR,
    first_name VARCHAR,
    last_name VARCHAR,
    country VARCHAR,
    created_at TIMESTAMPTZ
)
