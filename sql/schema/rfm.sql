-- RFM scores and segment of each contact in the RFM population.
CREATE TABLE IF NOT EXISTS rfm (
    contact_id VARCHAR NOT NULL,
    recency_days INTEGER NOT NULL,
    frequency BIGINT NOT NULL,
    monetary {amount_avg} NOT NULL,
    r_score INTEGER NOT NULL,
    f_score INTEGER NOT NULL,
    m_score INTEGER NOT NULL,
    rfm_code VARCHAR NOT NULL,
    segment VARCHAR NOT NULL
)
