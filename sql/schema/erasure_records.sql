-- Physical erasure of deleted batches: what purge rewrote and when it was verified.
CREATE TABLE IF NOT EXISTS erasure_records (
    batch_id VARCHAR NOT NULL,
    internal_ids BIGINT[] NOT NULL,
    files_rewritten BIGINT NOT NULL,
    snapshots_expired BIGINT NOT NULL,
    purged_at TIMESTAMPTZ NOT NULL,
    verified_at TIMESTAMPTZ
)
