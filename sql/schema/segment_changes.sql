-- Entries and exits of dynamic segments, per run.
CREATE TABLE IF NOT EXISTS segment_changes (
    run_id VARCHAR NOT NULL,
    segment VARCHAR NOT NULL,
    contact_id VARCHAR NOT NULL,
    change VARCHAR NOT NULL             -- entered or left
)
