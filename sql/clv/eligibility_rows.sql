-- The store's CLV eligibility criteria as built by the recompute. Reads the temp
-- table out_clv_eligibility.
SELECT criterion, value, threshold, margin, passed
FROM out_clv_eligibility
