-- One row per model fit: parameters, diagnostics, or the reason it was not fitted.
CREATE TABLE IF NOT EXISTS clv_model (
    fitted_at TIMESTAMPTZ NOT NULL,
    as_of TIMESTAMPTZ NOT NULL,
    status VARCHAR NOT NULL,            -- fitted, ineligible or failed
    reason VARCHAR,
    time_unit VARCHAR NOT NULL,
    r DOUBLE,
    alpha DOUBLE,
    a DOUBLE,
    b DOUBLE,
    p DOUBLE,
    q DOUBLE,
    gamma DOUBLE,
    log_likelihood DOUBLE,
    contacts_used BIGINT,
    iterations BIGINT,
    spend_frequency_correlation DOUBLE,
    run_id VARCHAR,
    gamma_gamma_log_likelihood DOUBLE,
    gamma_gamma_contacts_used BIGINT
)
