"""CLV fits on the CDNOW sample against the published estimates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.clv import bgnbd
from pipeline.clv.step import build_clv_outputs
from pipeline.store import Store
from tests.clv.conftest import CDNOW_CALIBRATION_END, recompute_context

pytestmark = pytest.mark.realdata

MODEL_QUERY = """
SELECT status, reason, time_unit, r, alpha, a, b, p, q, gamma, log_likelihood,
    contacts_used, gamma_gamma_contacts_used, spend_frequency_correlation
FROM out_clv_model
"""


@pytest.fixture(scope="module")
def cdnow_model(cdnow_sample_store: Path) -> dict[str, object]:
    """Fit the CDNOW sample in weeks and return its out_clv_model row."""
    with Store.open(cdnow_sample_store, write=False) as store:
        ctx = recompute_context(store, CDNOW_CALIBRATION_END)
        build_clv_outputs(ctx, "weeks")
        cursor = ctx.con.execute(MODEL_QUERY)
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def test_cdnow_fit_is_fitted(cdnow_model: dict[str, object]) -> None:
    assert cdnow_model["status"] == "fitted"
    assert cdnow_model["reason"] is None
    assert cdnow_model["time_unit"] == "weeks"
    assert cdnow_model["contacts_used"] == 2357


def test_cdnow_bgnbd_matches_published(cdnow_model: dict[str, object]) -> None:
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert round(float(cdnow_model[name]), 3) == value, name  # type: ignore[arg-type]
    assert cdnow_model["log_likelihood"] == pytest.approx(-9582.4, abs=0.05)


def test_cdnow_gamma_gamma_matches_published(cdnow_model: dict[str, object]) -> None:
    assert cdnow_model["gamma_gamma_contacts_used"] == 946
    published = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    for name, value in published.items():
        assert round(float(cdnow_model[name]), 2) == value, name  # type: ignore[arg-type]


def test_cdnow_spend_frequency_correlation_is_weak(
    cdnow_model: dict[str, object],
) -> None:
    correlation = float(cdnow_model["spend_frequency_correlation"])  # type: ignore[arg-type]
    assert -0.3 < correlation < 0.3


def test_point_expectation_matches_published(cdnow_model: dict[str, object]) -> None:
    params = {name: float(cdnow_model[name]) for name in ("r", "alpha", "a", "b")}  # type: ignore[arg-type]
    expected = bgnbd.expected_purchases(
        params, np.array([2.0]), np.array([30.43]), np.array([38.86]), 39.0
    )
    assert round(float(expected[0]), 3) == 1.226
