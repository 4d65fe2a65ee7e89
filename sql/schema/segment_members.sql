-- Current members of each dynamic segment.
CREATE TABLE IF NOT EXISTS segment_members (
    segment VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL
)
