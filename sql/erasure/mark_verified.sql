-- Stamp the erasure records that a passing verify-erasure covered.
UPDATE lake.erasure_records
SET verified_at = get_current_timestamp()
WHERE verified_at IS NULL
