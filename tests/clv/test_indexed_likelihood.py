"""Indexed likelihoods against the plain per contact sums, on random repeated data."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.clv import bgnbd, gamma_gamma

RELATIVE_TOLERANCE = 1e-12
BGNBD_PARAMS = [
    (0.3, 5.0, 0.7, 2.0),
    (1.2, 40.0, 0.05, 0.6),
    (0.243, 4.414, 0.793, 2.426),
]
GAMMA_GAMMA_PARAMS = [(5.0, 3.0, 12.0), (0.5, 1.5, 200.0), (6.25, 3.74, 15.44)]


def random_purchases(seed: int) -> bgnbd.PurchaseData:
    """Return contacts with few distinct x, ages and recencies, so values repeat."""
    rng = np.random.default_rng(seed)
    size = 3000
    frequency = rng.integers(0, 15, size).astype(np.float64)
    age = rng.integers(0, 90, size).astype(np.float64)
    recency = np.where(frequency > 0, np.floor(rng.random(size) * (age + 1)), 0.0)
    weight = rng.integers(1, 6, size).astype(np.float64)
    return bgnbd.PurchaseData(frequency, recency / 7.0, age / 7.0, weight)


def random_spends(seed: int) -> gamma_gamma.SpendData:
    """Return repeat buyers with few distinct x and mean spends in cents."""
    rng = np.random.default_rng(seed)
    size = 3000
    frequency = rng.integers(1, 15, size).astype(np.float64)
    monetary = np.round(rng.gamma(2.0, 20.0, size), 2) + 0.01
    weight = rng.integers(1, 6, size).astype(np.float64)
    return gamma_gamma.SpendData(frequency, monetary, weight)


@pytest.mark.parametrize("params", BGNBD_PARAMS)
@pytest.mark.parametrize("seed", [1, 2])
def test_bgnbd_indexed_equals_plain(params: tuple[float, ...], seed: int) -> None:
    data = random_purchases(seed)
    indexed = bgnbd.IndexedPurchaseData.from_data(data)
    value, gradient = bgnbd.log_likelihood(np.array(params), data)
    indexed_value, indexed_gradient = bgnbd.indexed_log_likelihood(
        np.array(params), indexed
    )
    assert indexed_value == pytest.approx(value, rel=RELATIVE_TOLERANCE)
    np.testing.assert_allclose(indexed_gradient, gradient, rtol=RELATIVE_TOLERANCE)


def test_bgnbd_indexed_rows_are_repeat_buyers() -> None:
    data = random_purchases(3)
    indexed = bgnbd.IndexedPurchaseData.from_data(data)
    repeat = data.frequency > 0
    assert indexed.repeat_weight.size == np.count_nonzero(repeat)
    assert indexed.x_values.size == np.unique(data.frequency).size
    assert indexed.total_weight == data.weight.sum()


def test_bgnbd_indexed_handles_one_row() -> None:
    data = bgnbd.PurchaseData(
        np.array([0.0]), np.array([0.0]), np.array([10.0]), np.array([4.0])
    )
    params = np.array([0.5, 3.0, 0.8, 0.9])
    value, gradient = bgnbd.log_likelihood(params, data)
    indexed_value, indexed_gradient = bgnbd.indexed_log_likelihood(
        params, bgnbd.IndexedPurchaseData.from_data(data)
    )
    assert indexed_value == pytest.approx(value, rel=RELATIVE_TOLERANCE)
    # Without repeat buyers the gradient in a and b is 0 up to rounding.
    np.testing.assert_allclose(
        indexed_gradient, gradient, rtol=RELATIVE_TOLERANCE, atol=1e-12
    )


@pytest.mark.parametrize("params", GAMMA_GAMMA_PARAMS)
@pytest.mark.parametrize("seed", [1, 2])
def test_gamma_gamma_indexed_equals_plain(params: tuple[float, ...], seed: int) -> None:
    data = random_spends(seed)
    indexed = gamma_gamma.IndexedSpendData.from_data(data)
    value, gradient = gamma_gamma.log_likelihood(np.array(params), data)
    indexed_value, indexed_gradient = gamma_gamma.indexed_log_likelihood(
        np.array(params), indexed
    )
    assert indexed_value == pytest.approx(value, rel=RELATIVE_TOLERANCE)
    # The gradient in p is a difference of sums in the tens of thousands.
    np.testing.assert_allclose(indexed_gradient, gradient, rtol=1e-10)
