-- Actions that workflows already took on contacts; deletions never reverse them.
CREATE TABLE IF NOT EXISTS workflow_activity (
    event_id VARCHAR NOT NULL,
    contact_id VARCHAR,
    workflow_id VARCHAR,
    activity_type VARCHAR NOT NULL,     -- email_sent, static_segment_added, custom
    occurred_at TIMESTAMPTZ NOT NULL,
    details VARCHAR
)
