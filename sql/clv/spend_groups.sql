-- Repeat buyers with a positive mean spend, grouped by identical (frequency,
-- monetary), with their count as the weight of the Gamma-Gamma likelihood. Days
-- worth 0 make monetary 0 only when every repeat day is free; those contacts carry
-- no spend information and the Gamma density is undefined at 0. Reads clv_summary.
SELECT frequency, monetary, count(*) AS contacts
FROM clv_summary
WHERE frequency >= 1 AND monetary > 0
GROUP BY ALL
ORDER BY ALL
