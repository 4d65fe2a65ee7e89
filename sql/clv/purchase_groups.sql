-- Contacts of clv_summary grouped by identical (frequency, recency, age), with their
-- count as the weight of the BG/NBD likelihood. Reads clv_summary.
SELECT frequency, recency, age, count(*) AS contacts
FROM clv_summary
GROUP BY ALL
ORDER BY ALL
