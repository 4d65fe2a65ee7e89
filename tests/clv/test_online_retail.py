"""CLV on the Online Retail store: a real store with zero-value purchases."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.clv.step import build_clv_outputs
from pipeline.store import Store
from tests.clv.conftest import ONLINE_RETAIL_AS_OF, recompute_context

pytestmark = pytest.mark.realdata

PREDICTION_RANGES = """
SELECT
    count(*) AS contacts,
    count(p_alive) AS predicted,
    count(*) FILTER (WHERE NOT p_alive BETWEEN 0 AND 1) AS p_alive_out_of_range,
    count(*) FILTER (WHERE NOT churn_rate BETWEEN 0 AND 100) AS churn_out_of_range,
    count(*) FILTER (WHERE NOT isfinite(expected_purchases_12m)
        OR expected_purchases_12m < 0) AS purchases_invalid,
    count(*) FILTER (WHERE NOT isfinite(expected_spend_per_purchase)
        OR expected_spend_per_purchase <= 0) AS spend_invalid,
    count(*) FILTER (WHERE NOT isfinite(clv_12m) OR clv_12m < 0) AS clv_invalid
FROM out_clv
"""


@pytest.mark.parametrize("time_unit", ["days", "weeks"])
def test_online_retail_fit_converges(online_retail_store: Path, time_unit: str) -> None:
    with Store.open(online_retail_store, write=False) as store:
        ctx = recompute_context(store, ONLINE_RETAIL_AS_OF)
        outcome = build_clv_outputs(ctx, time_unit)  # type: ignore[arg-type]
        ranges = ctx.con.execute(PREDICTION_RANGES).fetchone()
    assert outcome.status == "fitted", outcome.reason
    assert ctx.notes["bgnbd_converged"] is True
    assert ctx.notes["gamma_gamma_converged"] is True
    assert ranges is not None
    contacts, predicted, *invalid_counts = ranges
    assert contacts == 4339
    assert predicted == 4339
    assert invalid_counts == [0, 0, 0, 0, 0]
