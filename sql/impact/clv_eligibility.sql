-- CLV eligibility per criterion before and after the batch, with the margin left
-- over each threshold. Reads the temp tables impact_before_clv_eligibility and
-- out_clv_eligibility.
SELECT
    b.criterion,
    b.threshold,
    b.value AS value_before,
    a.value AS value_after,
    b.margin AS margin_before,
    a.margin AS margin_after,
    b.passed AS passed_before,
    a.passed AS passed_after
FROM impact_before_clv_eligibility AS b
JOIN out_clv_eligibility AS a USING (criterion)
