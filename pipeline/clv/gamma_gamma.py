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


def starting_point(data: SpendData) -> np.ndarray:
    """Return a fixed start (p, q, gamma) = (1, 2, mean zbar).

    With these values the prior mean spend p gamma / (q - 1) equals the mean zbar,
    and gamma carries the currency's scale.
    """
    mean_spend = float(np.average(data.monetary, weights=data.weight))
    return np.array([1.0, 2.0, mean_spend])


def fit(data: SpendData, max_iterations: int = DEFAULT_MAX_ITERATIONS) -> FitResult:
    """Fit (p, q, gamma) by maximum likelihood on weighted (x, zbar) groups."""
    return maximize(
        lambda params: log_likelihood(params, data),
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
