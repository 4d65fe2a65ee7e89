-- Pearson correlation of frequency and monetary among repeat buyers (frequency >= 1).
-- Gamma-Gamma assumes spend is independent of frequency, so a value far from 0 warns
-- that the spend model is misspecified. Reads clv_summary.
SELECT corr(frequency, monetary)
FROM clv_summary
WHERE frequency >= 1
