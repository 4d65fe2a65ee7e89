"""BG/NBD and Gamma-Gamma formulas: gradients, stable forms, discounting, units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.special import hyp2f1

from pipeline.clv import bgnbd, gamma_gamma
from pipeline.clv.predict import predict
from pipeline.clv.step import build_clv_outputs
from pipeline.clv.summary import ContactSummaries
from pipeline.store import Store
from tests.clv.conftest import CDNOW_CALIBRATION_END, recompute_context

# Published CDNOW estimates, weeks (Fader, Hardie & Lee 2005).
PURCHASE_PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
SPEND_PARAMS = {"p": 6.25, "q": 3.74, "gamma": 15.44}
PURCHASES = bgnbd.PurchaseData(
    frequency=np.array([0.0, 1.0, 2.0, 7.0, 30.0]),
    recency=np.array([0.0, 1.71, 30.43, 20.0, 36.0]),
    age=np.array([38.86, 38.86, 38.86, 35.0, 38.0]),
    weight=np.array([1000.0, 300.0, 20.0, 3.0, 1.0]),
)
SPENDS = gamma_gamma.SpendData(
    frequency=np.array([1.0, 2.0, 5.0]),
    monetary=np.array([11.77, 22.35, 40.0]),
    weight=np.array([10.0, 4.0, 1.0]),
)


def numeric_gradient(function, params: np.ndarray) -> np.ndarray:
    steps = np.eye(params.size) * 1e-6
    return np.array(
        [(function(params + h)[0] - function(params - h)[0]) / 2e-6 for h in steps]
    )


def test_bgnbd_gradient_matches_differences() -> None:
    params = np.array([0.3, 5.0, 0.7, 2.0])
    _, gradient = bgnbd.log_likelihood(params, PURCHASES)
    expected = numeric_gradient(lambda p: bgnbd.log_likelihood(p, PURCHASES), params)
    np.testing.assert_allclose(gradient, expected, rtol=1e-5)


def test_gamma_gamma_gradient_matches_differences() -> None:
    params = np.array([5.0, 3.0, 12.0])
    _, gradient = gamma_gamma.log_likelihood(params, SPENDS)
    expected = numeric_gradient(lambda p: gamma_gamma.log_likelihood(p, SPENDS), params)
    np.testing.assert_allclose(gradient, expected, rtol=1e-5)


def test_expected_purchases_equals_published_form() -> None:
    r, alpha, a, b = PURCHASE_PARAMS.values()
    x, t_x, age, t = PURCHASES.frequency, PURCHASES.recency, PURCHASES.age, 39.0
    z = t / (alpha + age + t)
    published_form = (
        (a + b + x - 1)
        / (a - 1)
        * (
            1
            - ((alpha + age) / (alpha + age + t)) ** (r + x)
            * hyp2f1(r + x, b + x, a + b + x - 1, z)
        )
        * bgnbd.probability_alive(PURCHASE_PARAMS, x, t_x, age)
    )
    result = bgnbd.expected_purchases(PURCHASE_PARAMS, x, t_x, age, t)
    np.testing.assert_allclose(result, published_form, rtol=1e-9)


def test_expected_purchases_finite_for_heavy_buyers() -> None:
    # In days, 2,000 repeat purchases overflow the untransformed 2F1. Bought on the
    # last day, the contact is alive and keeps buying at about x / (alpha + T).
    x = np.array([2000.0])
    result = bgnbd.expected_purchases(
        {"r": 0.8, "alpha": 60.0, "a": 0.05, "b": 3.0},
        x,
        np.array([373.0]),
        np.array([373.0]),
        365.25,
    )
    assert np.isfinite(result[0])
    assert 1000 < result[0] < 3000


def test_one_time_buyer_is_alive() -> None:
    p_alive = bgnbd.probability_alive(
        PURCHASE_PARAMS, np.array([0.0]), np.array([0.0]), np.array([38.86])
    )
    assert p_alive[0] == 1.0


def test_expected_spend_shrinks_to_population_mean() -> None:
    spend = gamma_gamma.expected_spend(
        SPEND_PARAMS, np.array([0.0, 1.0, 100.0]), np.array([0.0, 50.0, 50.0])
    )
    population_mean = 6.25 * 15.44 / (3.74 - 1)
    assert spend[0] == pytest.approx(population_mean)
    assert population_mean < spend[1] < 50.0
    assert spend[2] == pytest.approx(50.0, rel=0.01)


def test_discount_lowers_clv_within_a_year() -> None:
    summaries = ContactSummaries(
        summary_row=np.array([0, 1]),
        frequency=np.array([2.0, 10.0]),
        recency=np.array([30.43, 37.0]),
        age=np.array([38.86, 38.86]),
        monetary=np.array([22.35, 30.0]),
    )
    plain = predict(summaries, PURCHASE_PARAMS, SPEND_PARAMS, "weeks")
    zero = predict(summaries, PURCHASE_PARAMS, SPEND_PARAMS, "weeks", 0.0)
    discounted = predict(summaries, PURCHASE_PARAMS, SPEND_PARAMS, "weeks", 0.1)
    np.testing.assert_allclose(zero.clv_12m, plain.clv_12m)
    assert np.all(discounted.clv_12m < plain.clv_12m)
    assert np.all(discounted.clv_12m > plain.clv_12m / 1.1)
    np.testing.assert_allclose(
        plain.clv_12m,
        plain.expected_purchases_12m * plain.expected_spend_per_purchase,
    )
    np.testing.assert_allclose(plain.churn_rate, 100 * (1 - plain.p_alive))


@pytest.mark.realdata
def test_days_and_weeks_give_same_model(cdnow_sample_store: Path) -> None:
    rows = {}
    with Store.open(cdnow_sample_store, write=False) as store:
        for unit in ("days", "weeks"):
            ctx = recompute_context(store, CDNOW_CALIBRATION_END)
            rows[unit] = build_clv_outputs(ctx, unit).row  # type: ignore[arg-type]
    days, weeks = rows["days"], rows["weeks"]
    assert days["alpha"] == pytest.approx(7 * weeks["alpha"], rel=1e-4)
    for name in ("r", "a", "b", "p", "q", "gamma"):
        assert days[name] == pytest.approx(weeks[name], rel=1e-4), name


def test_pair_predictions_equal_per_contact() -> None:
    rng = np.random.default_rng(7)
    size = 500
    frequency = rng.integers(0, 6, size).astype(np.float64)
    age = rng.integers(1, 30, size).astype(np.float64)
    recency = np.where(frequency > 0, np.floor(rng.random(size) * age), 0.0)
    summaries = ContactSummaries(
        summary_row=np.arange(size),
        frequency=frequency,
        recency=recency,
        age=age,
        monetary=np.where(frequency > 0, 20.0, 0.0),
    )
    year = 365.25 / 7
    per_contact = bgnbd.expected_purchases(
        PURCHASE_PARAMS, frequency, recency, age, year
    )
    plain = predict(summaries, PURCHASE_PARAMS, SPEND_PARAMS, "weeks")
    np.testing.assert_array_equal(plain.expected_purchases_12m, per_contact)

    # Discounted month by month, each month's purchases per contact.
    discounted = predict(summaries, PURCHASE_PARAMS, SPEND_PARAMS, "weeks", 0.1)
    expected = np.zeros(size)
    previous = np.zeros(size)
    for month in range(1, 13):
        cumulative = bgnbd.expected_purchases(
            PURCHASE_PARAMS, frequency, recency, age, year * month / 12
        )
        expected += (cumulative - previous) * 1.1 ** (-month / 12)
        previous = cumulative
    np.testing.assert_allclose(
        discounted.clv_12m, expected * plain.expected_spend_per_purchase, rtol=1e-12
    )
