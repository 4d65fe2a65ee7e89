"""CLV summary: CDNOW parity, same-day merging, time units and the as_of convention."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.clv.summary import build_summary
from pipeline.store import Store
from tests.clv.conftest import CDNOW_CALIBRATION_END, recompute_context
from tests.conftest import shared_file

pytestmark = pytest.mark.realdata

PUBLISHED_SUMMARY = """
SELECT
    count(*) AS customers,
    count(s.contact_id) AS matched,
    count(*) FILTER (WHERE s.frequency <> p.x) AS frequency_mismatches,
    max(abs(s.recency - p.t_x)) AS recency_error,
    max(abs(s.age - p.T)) AS age_error,
    max(abs(s.monetary - p.zbar)) AS monetary_error
FROM read_csv(?, header = true) AS p
LEFT JOIN clv_summary AS s ON s.contact_id = p.ID::VARCHAR
"""


def test_cdnow_summary_matches_published(cdnow_sample_store: Path) -> None:
    published = shared_file("cdnow/cdnow_customers_summary_with_transactions.csv")
    with Store.open(cdnow_sample_store, write=False) as store:
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        rows = build_summary(ctx.con, "weeks")
        result = ctx.con.execute(PUBLISHED_SUMMARY, [str(published)]).fetchone()
    assert result is not None
    customers, matched, frequency_mismatches, recency, age, monetary = result
    assert rows == 2357
    assert customers == 2357
    assert matched == 2357
    assert frequency_mismatches == 0
    assert recency <= 0.01
    assert age <= 0.01
    assert monetary <= 0.01
