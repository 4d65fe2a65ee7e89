"""WeightedSampler draws exactly what Generator.choice draws with probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.generate.catalog import build_catalog
from pipeline.generate.sampling import WeightedSampler


@pytest.mark.parametrize("products", [2, 100, 2_500, 50_000])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sampler_equals_choice(products: int, seed: int) -> None:
    catalog = build_catalog(np.random.default_rng(products), products, 2)
    sampler = WeightedSampler(catalog.popularity)
    expected_rng = np.random.default_rng(seed)
    actual_rng = np.random.default_rng(seed)
    expected = expected_rng.choice(products, size=200_000, p=catalog.popularity)
    actual = sampler.draw(actual_rng, 200_000)
    assert actual.dtype == np.int64
    assert np.array_equal(actual, expected)
    assert actual_rng.random() == expected_rng.random()


def test_sampler_skips_zero_probability() -> None:
    probabilities = np.array([0.0, 0.5, 0.0, 0.0, 0.5, 0.0])
    expected = np.random.default_rng(4).choice(6, size=50_000, p=probabilities)
    actual = WeightedSampler(probabilities).draw(np.random.default_rng(4), 50_000)
    assert set(np.unique(actual)) == {1, 4}
    assert np.array_equal(actual, expected)


def test_sampler_draws_nothing_for_size_zero() -> None:
    sampler = WeightedSampler(np.array([0.25, 0.75]))
    assert sampler.draw(np.random.default_rng(0), 0).tolist() == []
