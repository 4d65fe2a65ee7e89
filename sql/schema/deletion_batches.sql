-- One row per deletion batch: counts, the snapshots around it and its impact.
CREATE TABLE IF NOT EXISTS deletion_batches (
    batch_id VARCHAR NOT NULL,
    requested_by VARCHAR NOT NULL,      -- store-id or internal-id
    reason VARCHAR,
    deleted_at TIMESTAMPTZ NOT NULL,
    requested INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    not_found INTEGER NOT NULL,
    already_deleted INTEGER NOT NULL,
    snapshot_before BIGINT NOT NULL,    -- last snapshot that still holds the batch
    impact JSON,
    undone_at TIMESTAMPTZ,
    erased_at TIMESTAMPTZ
)
