"""CDNOW holdout: predicted repeat purchases in weeks 40-78 against the actual ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.clv import bgnbd
from pipeline.clv.step import build_clv_outputs
from pipeline.clv.summary import fetch_contact_summaries
from pipeline.store import Store
from tests.clv.conftest import CDNOW_CALIBRATION_END, recompute_context

pytestmark = pytest.mark.realdata

HOLDOUT_WEEKS = 39.0
# Purchase days per contact after calibration up to 1998-06-30 (weeks 40 to 78).
HOLDOUT_PURCHASES = """
SELECT s.rowid AS summary_row, count(DISTINCT p.purchased_at::DATE) AS purchase_days
FROM clv_summary AS s
LEFT JOIN lake.purchases AS p
    ON p.contact_id = s.contact_id
    AND p.purchased_at > getvariable('as_of')
    AND p.purchased_at < '1998-07-01 00:00:00+00'
GROUP BY s.rowid
ORDER BY s.rowid
"""
GROUPS = ["0", "1", "2", "3", "4", "5", "6", "7+"]


def holdout_by_group(store_path: Path) -> dict[str, tuple[int, float, int]]:
    """Return (contacts, predicted, actual) per calibration frequency group."""
    with Store.open(store_path, write=False) as store:
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        outcome = build_clv_outputs(ctx, "weeks")
        summaries = fetch_contact_summaries(store.con)
        actual = store.con.execute(HOLDOUT_PURCHASES).fetchnumpy()
    assert list(actual["summary_row"]) == list(summaries.summary_row)
    params = {name: outcome.row[name] for name in bgnbd.PARAMETER_NAMES}
    predicted = bgnbd.expected_purchases(
        params, summaries.frequency, summaries.recency, summaries.age, HOLDOUT_WEEKS
    )
    group_index = np.minimum(summaries.frequency, 7).astype(int)
    table = {}
    for index, name in enumerate(GROUPS):
        members = group_index == index
        table[name] = (
            int(members.sum()),
            float(predicted[members].sum()),
            int(actual["purchase_days"][members].sum()),
        )
    return table


# The model underpredicts this holdout by about 12% in total and 25% for x = 1 and
# 2 (docs/clv.md); the bounds catch a model that drifts further from the data.
def test_holdout_aggregate_within_15_percent(cdnow_sample_store: Path) -> None:
    table = holdout_by_group(cdnow_sample_store)
    predicted = sum(row[1] for row in table.values())
    actual = sum(row[2] for row in table.values())
    assert sum(row[0] for row in table.values()) == 2357
    assert predicted == pytest.approx(actual, rel=0.15)


def test_holdout_groups_within_30_percent(cdnow_sample_store: Path) -> None:
    table = holdout_by_group(cdnow_sample_store)
    for name, (contacts, predicted, actual) in table.items():
        assert contacts > 0, name
        assert predicted == pytest.approx(actual, rel=0.30), name
