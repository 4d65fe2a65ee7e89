-- Frequency and monetary of the repeat buyers (frequency >= 1), in contact order, for
-- their Pearson correlation. Gamma-Gamma assumes spend is independent of frequency,
-- so a correlation far from 0 warns that the spend model is misspecified. Reads
-- clv_summary.
SELECT frequency::DOUBLE AS frequency, monetary
FROM clv_summary
WHERE frequency >= 1
ORDER BY contact_id
