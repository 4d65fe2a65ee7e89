-- The per contact columns that predictions need, keyed by each row's rowid in
-- clv_summary, which out_clv joins back to the contact id. The rowids stay valid
-- because nothing writes to clv_summary between this query and out_clv.
SELECT rowid AS summary_row, frequency, recency, age, monetary
FROM clv_summary
ORDER BY summary_row
