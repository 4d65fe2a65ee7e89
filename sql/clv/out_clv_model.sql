-- The clv_model output: one row describing this run's fit, from named parameters.
-- status is fitted, ineligible or failed; reason states why when it is not fitted.
-- iterations and log_likelihood are the BG/NBD fit's, contacts_used the contacts
-- with a purchase; the gamma_gamma_ columns describe the spend fit.
CREATE OR REPLACE TEMP TABLE out_clv_model AS
SELECT
    now() AS fitted_at,
    getvariable('as_of') AS as_of,
    $status::VARCHAR AS status,
    $reason::VARCHAR AS reason,
    $time_unit::VARCHAR AS time_unit,
    $r::DOUBLE AS r,
    $alpha::DOUBLE AS alpha,
    $a::DOUBLE AS a,
    $b::DOUBLE AS b,
    $p::DOUBLE AS p,
    $q::DOUBLE AS q,
    $gamma::DOUBLE AS gamma,
    $log_likelihood::DOUBLE AS log_likelihood,
    $contacts_used::BIGINT AS contacts_used,
    $iterations::BIGINT AS iterations,
    $spend_frequency_correlation::DOUBLE AS spend_frequency_correlation,
    $run_id::VARCHAR AS run_id,
    $gamma_gamma_log_likelihood::DOUBLE AS gamma_gamma_log_likelihood,
    $gamma_gamma_contacts_used::BIGINT AS gamma_gamma_contacts_used
