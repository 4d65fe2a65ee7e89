"""Per contact CLV predictions from fitted BG/NBD and Gamma-Gamma parameters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pipeline.clv import bgnbd, gamma_gamma
from pipeline.clv.summary import DAYS_PER_UNIT, DAYS_PER_YEAR, ContactSummaries

MONTHS = 12


@dataclass(frozen=True)
class Predictions:
    """The `clv` table's columns for every contact with a purchase.

    Rows are identified by `summary_row`, the rowid of the contact's row in the
    temp table `clv_summary`, so contact ids never pass through Python.
    """

    summary_row: np.ndarray
    p_alive: np.ndarray
    churn_rate: np.ndarray
    expected_purchases_12m: np.ndarray
    expected_spend_per_purchase: np.ndarray
    clv_12m: np.ndarray

    @classmethod
    def empty(cls) -> Predictions:
        """Return predictions for no contact."""
        no_values = np.zeros(0, dtype=np.float64)
        return cls(np.zeros(0, dtype=np.int64), *([no_values] * 5))

    def invalid_count(self) -> int:
        """Count contacts with a non-finite or out-of-range prediction."""
        invalid = (
            ~np.isfinite(self.p_alive)
            | (self.p_alive < 0)
            | (self.p_alive > 1)
            | ~np.isfinite(self.expected_purchases_12m)
            | (self.expected_purchases_12m < 0)
            | ~np.isfinite(self.expected_spend_per_purchase)
            | (self.expected_spend_per_purchase <= 0)
            | ~np.isfinite(self.clv_12m)
        )
        return int(np.count_nonzero(invalid))

    def to_arrow(self) -> pa.Table:
        """Return the predictions as an Arrow table with the `clv` column names."""
        return pa.table(
            {
                "summary_row": pa.array(self.summary_row, type=pa.int64()),
                "p_alive": self.p_alive,
                "churn_rate": self.churn_rate,
                "expected_purchases_12m": self.expected_purchases_12m,
                "expected_spend_per_purchase": self.expected_spend_per_purchase,
                "clv_12m": self.clv_12m,
            }
        )


def predict(
    summaries: ContactSummaries,
    purchase_params: dict[str, float],
    spend_params: dict[str, float],
    time_unit: str,
    annual_discount_rate: float | None = None,
) -> Predictions:
    """Predict alive probability, 12-month purchases, spend and CLV per contact.

    Twelve months are 365.25 days in the summary's time unit. Without a discount
    rate, clv_12m = E[purchases in 12 months] x E[spend per purchase]. With an annual
    rate d, the year is split into 12 equal months, and the purchases expected in
    month m are discounted by (1 + d)^(-m/12), as if they all fell at its end.
    """
    x, t_x, age = summaries.frequency, summaries.recency, summaries.age
    year = DAYS_PER_YEAR / DAYS_PER_UNIT[time_unit]
    # The expected purchases of a contact alive depend on (x, T) only, and far
    # fewer pairs than contacts exist, so 2F1 is evaluated once per pair.
    pair_x, pair_age, pair_index = unique_pairs(x, age)
    with np.errstate(all="ignore"):
        p_alive = bgnbd.probability_alive(purchase_params, x, t_x, age)
        if_alive = bgnbd.expected_purchases_if_alive(
            purchase_params, pair_x, pair_age, year
        )
        purchases = if_alive[pair_index] * p_alive
        spend = gamma_gamma.expected_spend(spend_params, x, summaries.monetary)
        if annual_discount_rate:
            discounted_if_alive = discounted_purchases_if_alive(
                purchase_params, pair_x, pair_age, year, annual_discount_rate
            )
            discounted = discounted_if_alive[pair_index] * p_alive
        else:
            discounted = purchases
        clv = discounted * spend
    return Predictions(
        summary_row=summaries.summary_row,
        p_alive=p_alive,
        churn_rate=100.0 * (1.0 - p_alive),
        expected_purchases_12m=purchases,
        expected_spend_per_purchase=spend,
        clv_12m=clv,
    )


def unique_pairs(
    x: np.ndarray, age: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the unique (x, T) pairs as two arrays, and each contact's pair index."""
    x_values, x_index = np.unique(x, return_inverse=True)
    age_values, age_index = np.unique(age, return_inverse=True)
    keys, pair_index = np.unique(
        x_index * age_values.size + age_index, return_inverse=True
    )
    pair_x = x_values[keys // age_values.size]
    pair_age = age_values[keys % age_values.size]
    return pair_x, pair_age, pair_index


def discounted_purchases_if_alive(
    purchase_params: dict[str, float],
    x: np.ndarray,
    age: np.ndarray,
    year: float,
    annual_discount_rate: float,
) -> np.ndarray:
    """Return a living contact's expected purchases, each month's discounted to its end.

    P(alive) is one factor of every month's expected purchases, so the caller
    multiplies it in once, after the discounting.
    """
    total = np.zeros_like(x)
    previous = np.zeros_like(x)
    for month in range(1, MONTHS + 1):
        cumulative = bgnbd.expected_purchases_if_alive(
            purchase_params, x, age, year * month / MONTHS
        )
        factor = (1.0 + annual_discount_rate) ** (-month / MONTHS)
        total += (cumulative - previous) * factor
        previous = cumulative
    return total
