-- Store-level CLV eligibility, one row per criterion.
CREATE TABLE IF NOT EXISTS clv_eligibility (
    criterion VARCHAR NOT NULL,
    value BIGINT NOT NULL,
    threshold BIGINT NOT NULL,
    margin BIGINT NOT NULL,             -- value - threshold
    passed BOOLEAN NOT NULL
)
