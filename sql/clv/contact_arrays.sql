-- The per contact columns that predictions need, in a stable order. Reads clv_summary.
SELECT contact_id, frequency, recency, age, monetary
FROM clv_summary
ORDER BY contact_id
