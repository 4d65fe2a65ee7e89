-- One row per pipeline run that committed.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL,
    command VARCHAR NOT NULL,
    as_of TIMESTAMPTZ,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    status VARCHAR NOT NULL,
    snapshot_id BIGINT                  -- snapshot before the run's own commit
)
