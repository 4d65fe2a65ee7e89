"""The Gamma-Gamma spend model: likelihood, fit and expected spend per purchase.

Source of every formula: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value
Curves for Customer Base Analysis", Journal of Marketing Research 42(4), 415-430.
A contact's purchase values
are Gamma(p, nu) with nu ~ Gamma(q, gamma), so the mean zbar of x repeat purchases is
Gamma(p x, nu x). The model assumes spend independent of purchase frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln

from pipeline.clv.fitting import DEFAULT_MAX_ITERATIONS, FitResult, maximize

PARAMETER_NAMES = ("p", "q", "gamma")


@dataclass(frozen=True)
class SpendData:
    """Repeat buyers' (x, zbar) with weights; every zbar must be positive."""

    frequency: np.ndarray
    monetary: np.ndarray
    weight: np.ndarray


def log_likelihood(params: np.ndarray, data: SpendData) -> tuple[float, np.ndarray]:
    """Return the weighted Gamma-Gamma log-likelihood and its gradient in (p, q, gamma).

    Per contact, LL = ln G(px+q) - ln G(px) - ln G(q) + q ln gamma + (px-1) ln zbar
    + px ln x - (px+q) ln(gamma + x zbar).
    """
    p, q, gamma = params
    x, zbar, weight = data.frequency, data.monetary, data.weight
    px = p * x
    log_zbar = np.log(zbar)
    log_x = np.log(x)
    log_scale = np.log(gamma + x * zbar)
    per_contact = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * log_zbar
        + px * log_x
        - (px + q) * log_scale
    )
    value = float(np.dot(weight, per_contact))
    d_p = x * (digamma(px + q) - digamma(px) + log_zbar + log_x - log_scale)
    d_q = digamma(px + q) - digamma(q) + np.log(gamma) - log_scale
    d_gamma = q / gamma - (px + q) / (gamma + x * zbar)
    gradient = np.array([np.dot(weight, d) for d in (d_p, d_q, d_gamma)])
    return value, gradient


@dataclass(frozen=True)
class IndexedSpendData:
    """SpendData with its parameter-free terms computed once for the optimizer.

    ln zbar and ln x enter the likelihood only through sums that are linear in p,
    so they are summed in advance. The special functions are evaluated once per
    unique x (`x_values`, with the summed weights `x_weight`). Only
    ln(gamma + x zbar) is computed per row.
    """

    x_values: np.ndarray
    x_weight: np.ndarray
    total_weight: float
    weighted_x_log_zbar: float
    weighted_log_zbar: float
    weighted_x_log_x: float
    spend_total: np.ndarray
    weight: np.ndarray
    weighted_x: np.ndarray

    @classmethod
    def from_data(cls, data: SpendData) -> IndexedSpendData:
        """Index `data` once, before the optimizer evaluates the likelihood."""
        x, zbar, weight = data.frequency, data.monetary, data.weight
        x_values, x_index = np.unique(x, return_inverse=True)
        x_weight = np.bincount(x_index, weight, x_values.size)
        log_zbar = np.log(zbar)
        return cls(
            x_values=x_values,
            x_weight=x_weight,
            total_weight=float(weight.sum()),
            weighted_x_log_zbar=float(np.dot(weight * x, log_zbar)),
            weighted_log_zbar=float(np.dot(weight, log_zbar)),
            weighted_x_log_x=float(np.dot(x_weight * x_values, np.log(x_values))),
            spend_total=x * zbar,
            weight=weight,
            weighted_x=weight * x,
        )


def indexed_log_likelihood(
    params: np.ndarray, data: IndexedSpendData
) -> tuple[float, np.ndarray]:
    """Return the log-likelihood and gradient of `log_likelihood`, from indexed data.

    Summed with weights w, (px-1) ln zbar + px ln x becomes p (A + C) - B with
    A = sum w x ln zbar, B = sum w ln zbar and C = sum w x ln x, and
    (px+q) ln(gamma + x zbar) becomes p sum w x L + q sum w L.
    """
    p, q, gamma = params
    x_values, x_weight = data.x_values, data.x_weight
    total_weight = data.total_weight
    constant_in_p = data.weighted_x_log_zbar + data.weighted_x_log_x

    # Terms of x only, summed over unique x.
    p_x = p * x_values
    gammaln_sum = np.dot(x_weight, gammaln(p_x + q) - gammaln(p_x))
    digamma_pxq = digamma(p_x + q)
    x_d_p = np.dot(x_weight * x_values, digamma_pxq - digamma(p_x))
    x_d_q = np.dot(x_weight, digamma_pxq) - total_weight * digamma(q)

    # Terms of each row's ln(gamma + x zbar).
    log_scale = np.log(gamma + data.spend_total)
    inverse_scale = 1.0 / (gamma + data.spend_total)
    x_log_scale = np.dot(data.weighted_x, log_scale)
    log_scale_sum = np.dot(data.weight, log_scale)

    log_gamma = np.log(gamma)
    value = (
        gammaln_sum
        + total_weight * (q * log_gamma - gammaln(q))
        + p * constant_in_p
        - data.weighted_log_zbar
        - p * x_log_scale
        - q * log_scale_sum
    )
    d_p = x_d_p + constant_in_p - x_log_scale
    d_q = x_d_q + total_weight * log_gamma - log_scale_sum
    d_gamma = (
        total_weight * q / gamma
        - p * np.dot(data.weighted_x, inverse_scale)
        - q * np.dot(data.weight, inverse_scale)
    )
    return float(value), np.array([d_p, d_q, d_gamma])


def starting_point(data: SpendData) -> np.ndarray:
    """Return a fixed start (p, q, gamma) = (1, 2, mean zbar).

    With these values the prior mean spend p gamma / (q - 1) equals the mean zbar,
    and gamma carries the currency's scale.
    """
    mean_spend = float(np.average(data.monetary, weights=data.weight))
    return np.array([1.0, 2.0, mean_spend])


def fit(data: SpendData, max_iterations: int = DEFAULT_MAX_ITERATIONS) -> FitResult:
    """Fit (p, q, gamma) by maximum likelihood on weighted (x, zbar) groups."""
    indexed = IndexedSpendData.from_data(data)
    return maximize(
        lambda params: indexed_log_likelihood(params, indexed),
        PARAMETER_NAMES,
        starting_point(data),
        float(data.weight.sum()),
        max_iterations,
    )


def expected_spend(
    params: dict[str, float], x: np.ndarray, zbar: np.ndarray
) -> np.ndarray:
    """Return E[spend per purchase | x, zbar] = p (gamma + x zbar) / (p x + q - 1).

    This weighs the population mean p gamma / (q - 1) against the contact's own
    mean zbar; a contact without repeat purchases (x = 0) gets the population mean.
    The mean exists only for q > 1, and the result is infinite or negative otherwise.
    """
    p, q, gamma = (params[name] for name in PARAMETER_NAMES)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(p * (gamma + x * zbar) / (p * x + q - 1.0))
