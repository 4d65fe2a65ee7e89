-- Record a `clv fit` run: $1 run id, $2 command, $3 as_of, $4 started_at, $5 status,
-- $6 snapshot id before the run's commit.
INSERT INTO lake.runs VALUES ($1, $2, $3, $4, now(), $5, $6)
