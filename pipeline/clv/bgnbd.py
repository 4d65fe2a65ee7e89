"""The BG/NBD purchase model: likelihood, fit, probability alive, expected purchases.

Source of every formula: Fader, Hardie & Lee (2005), "Counting Your Customers the
Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.
A contact buys at a Poisson rate lambda ~ Gamma(r, alpha) while alive and drops out
after each repeat purchase with probability p ~ Beta(a, b). The data per contact is
x (repeat purchases), t_x (time of the last purchase) and T (age), all measured from
the first purchase.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from pipeline.clv.fitting import DEFAULT_MAX_ITERATIONS, FitResult, maximize

PARAMETER_NAMES = ("r", "alpha", "a", "b")


@dataclass(frozen=True)
class PurchaseData:
    """Per contact or per group BG/NBD data with weights (contacts per group)."""

    frequency: np.ndarray
    recency: np.ndarray
    age: np.ndarray
    weight: np.ndarray


def log_likelihood(params: np.ndarray, data: PurchaseData) -> tuple[float, np.ndarray]:
    """Return the weighted BG/NBD log-likelihood and its gradient in (r, alpha, a, b).

    Per contact, LL = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x) - ln B(a, b)
    + ln[(alpha+T)^-(r+x) + [x > 0] a / (b+x-1) (alpha+t_x)^-(r+x)]. The last term
    is summed with logaddexp, so large x or T cannot overflow.
    """
    r, alpha, a, b = params
    x, t_x, age, weight = data.frequency, data.recency, data.age, data.weight
    repeat = x > 0
    log_alpha_age = np.log(alpha + age)
    log_alpha_recency = np.log(alpha + t_x)

    # The two terms inside the last logarithm: still alive at T, or dropped out at t_x.
    alive_term = -(r + x) * log_alpha_age
    with np.errstate(divide="ignore", invalid="ignore"):
        dropout_term = np.where(
            repeat,
            np.log(a) - np.log(b + x - 1) - (r + x) * log_alpha_recency,
            -np.inf,
        )
    log_sum = np.logaddexp(alive_term, dropout_term)
    per_contact = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + betaln(a, b + x)
        - betaln(a, b)
        + log_sum
    )
    value = float(np.dot(weight, per_contact))

    # Gradient: w_alive and w_dropout are the two terms' shares of their sum.
    w_alive = np.exp(alive_term - log_sum)
    w_dropout = np.exp(dropout_term - log_sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        dropout_b = np.where(repeat, w_dropout / (b + x - 1), 0.0)
    d_r = (
        digamma(r + x)
        - digamma(r)
        + np.log(alpha)
        - w_alive * log_alpha_age
        - w_dropout * log_alpha_recency
    )
    d_alpha = (
        r / alpha
        - w_alive * (r + x) / (alpha + age)
        - w_dropout * (r + x) / (alpha + t_x)
    )
    d_a = digamma(a + b) - digamma(a + b + x) + w_dropout / a
    d_b = digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b) - dropout_b
    gradient = np.array([np.dot(weight, d) for d in (d_r, d_alpha, d_a, d_b)])
    return value, gradient


@dataclass(frozen=True)
class IndexedPurchaseData:
    """PurchaseData rearranged so that one likelihood evaluation is cheap.

    The special functions depend on x only, and the logarithms on alpha + T or
    alpha + t_x only, so they are evaluated once per unique value and gathered by
    index. Only contacts with x > 0 keep one row each (`repeat_*`), because only
    they have a dropout term. Everything else is summed in advance into weights per
    unique x (`x_weight`) and per unique day count (`day_weight`, `day_weight_x`).
    """

    x_values: np.ndarray
    x_weight: np.ndarray
    days: np.ndarray
    day_weight: np.ndarray
    day_weight_x: np.ndarray
    total_weight: float
    repeat_x: np.ndarray
    repeat_x_index: np.ndarray
    repeat_age_index: np.ndarray
    repeat_recency_index: np.ndarray
    repeat_weight: np.ndarray

    @classmethod
    def from_data(cls, data: PurchaseData) -> IndexedPurchaseData:
        """Index `data` once, before the optimizer evaluates the likelihood."""
        x, weight = data.frequency, data.weight
        x_values, x_index = np.unique(x, return_inverse=True)
        # Ages and recencies share one table of values, so alpha + value is
        # computed and logged once per value for both.
        days, day_index = np.unique(
            np.concatenate([data.age, data.recency]), return_inverse=True
        )
        age_index = day_index[: x.size]
        recency_index = day_index[x.size :]
        repeat = x > 0
        return cls(
            x_values=x_values,
            x_weight=np.bincount(x_index, weight, x_values.size),
            days=days,
            day_weight=np.bincount(age_index, weight, days.size),
            day_weight_x=np.bincount(age_index, weight * x, days.size),
            total_weight=float(weight.sum()),
            repeat_x=x[repeat],
            repeat_x_index=x_index[repeat],
            repeat_age_index=age_index[repeat],
            repeat_recency_index=recency_index[repeat],
            repeat_weight=weight[repeat],
        )


def indexed_log_likelihood(
    params: np.ndarray, data: IndexedPurchaseData
) -> tuple[float, np.ndarray]:
    """Return the log-likelihood and gradient of `log_likelihood`, from indexed data.

    With L(v) = ln(alpha + v), the last term of `log_likelihood` is
    -(r+x) L(T) + softplus(d) with d = ln a - ln(b+x-1) + (r+x) (L(T) - L(t_x)),
    and softplus(d) = ln(1 + e^d) is 0 for x = 0. So every term but softplus sums
    over unique x or unique days, and only softplus and its derivative
    expit(d), the dropout term's share, are computed per repeat buyer row.
    """
    r, alpha, a, b = params
    x_values, x_weight = data.x_values, data.x_weight
    total_weight = data.total_weight

    # Terms of x only, summed over unique x.
    x_value = np.dot(
        x_weight,
        gammaln(r + x_values) - gammaln(r) + betaln(a, b + x_values) - betaln(a, b),
    )
    digamma_abx = digamma(a + b + x_values)
    x_d_r = np.dot(x_weight, digamma(r + x_values)) - total_weight * digamma(r)
    x_d_a = total_weight * digamma(a + b) - np.dot(x_weight, digamma_abx)
    x_d_b = np.dot(x_weight, digamma(b + x_values) - digamma_abx) + total_weight * (
        digamma(a + b) - digamma(b)
    )

    # The alive term -(r+x) L(T), summed over unique ages.
    log_days = np.log(alpha + data.days)
    inverse_days = 1.0 / (alpha + data.days)
    age_exponent = r * data.day_weight + data.day_weight_x
    log_alpha = np.log(alpha)
    alive_value = total_weight * r * log_alpha - np.dot(age_exponent, log_days)
    alive_d_r = total_weight * log_alpha - np.dot(data.day_weight, log_days)
    alive_d_alpha = total_weight * r / alpha - np.dot(age_exponent, inverse_days)

    # softplus(d) per repeat buyer row.
    exponent = r + data.repeat_x
    log_ratio = log_days[data.repeat_age_index] - log_days[data.repeat_recency_index]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds_per_x = np.log(a) - np.log(b + x_values - 1.0)
    d = log_odds_per_x[data.repeat_x_index] + exponent * log_ratio
    softplus = np.logaddexp(0.0, d)
    weighted_share = data.repeat_weight * expit(d)
    inverse_ratio = (
        inverse_days[data.repeat_age_index] - inverse_days[data.repeat_recency_index]
    )
    share_per_x = np.bincount(data.repeat_x_index, weighted_share, x_values.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        dropout_d_b = np.dot(
            share_per_x[x_values > 0], 1.0 / (b + x_values[x_values > 0] - 1.0)
        )

    value = float(x_value + alive_value + np.dot(data.repeat_weight, softplus))
    gradient = np.array(
        [
            x_d_r + alive_d_r + np.dot(weighted_share, log_ratio),
            alive_d_alpha + np.dot(weighted_share * exponent, inverse_ratio),
            x_d_a + share_per_x.sum() / a,
            x_d_b - dropout_d_b,
        ]
    )
    return value, gradient


def starting_point(data: PurchaseData) -> np.ndarray:
    """Return a fixed start (r, alpha, a, b) = (1, mean age, 1, 1).

    alpha is a time scale, so starting it at the mean age keeps the start equally
    good in days and in weeks.
    """
    mean_age = float(np.average(data.age, weights=data.weight))
    return np.array([1.0, max(mean_age, 1.0), 1.0, 1.0])


def fit(data: PurchaseData, max_iterations: int = DEFAULT_MAX_ITERATIONS) -> FitResult:
    """Fit (r, alpha, a, b) by maximum likelihood on weighted contact groups."""
    indexed = IndexedPurchaseData.from_data(data)
    return maximize(
        lambda params: indexed_log_likelihood(params, indexed),
        PARAMETER_NAMES,
        starting_point(data),
        float(data.weight.sum()),
        max_iterations,
    )


def probability_alive(
    params: dict[str, float], x: np.ndarray, t_x: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """Return P(alive | x, t_x, T), the probability that each contact is still active.

    P(alive) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)). The ratio
    is computed as a log-odds and passed to expit, so it cannot overflow.
    """
    r, alpha, a, b = (params[name] for name in PARAMETER_NAMES)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds_dead = np.where(
            x > 0,
            np.log(a)
            - np.log(b + x - 1)
            + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x)),
            -np.inf,
        )
    return np.asarray(expit(-log_odds_dead))


def expected_purchases(
    params: dict[str, float],
    x: np.ndarray,
    t_x: np.ndarray,
    age: np.ndarray,
    horizon: float,
) -> np.ndarray:
    """Return E[X(horizon) | x, t_x, T], the expected purchases in the next `horizon`.

    This is `expected_purchases_if_alive` times `probability_alive`.
    """
    if_alive = expected_purchases_if_alive(params, x, age, horizon)
    return np.asarray(if_alive * probability_alive(params, x, t_x, age))


def expected_purchases_if_alive(
    params: dict[str, float], x: np.ndarray, age: np.ndarray, horizon: float
) -> np.ndarray:
    """Return the expected purchases in the next `horizon` of a contact still alive.

    The published form of E[X(horizon) | x, t_x, T] is (a+b+x-1)/(a-1)
    [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] P(alive), with
    z = t/(alpha+T+t); this returns it without the factor P(alive), so it depends on
    x and T only. Its 2F1 grows like (1-z)^(a-1-r-x) for large x and overflows, so
    this uses Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B)
    2F1(C-A, C-B; C; z), which turns the bracket into
    1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z) with small upper parameters.
    """
    r, alpha, a, b = (params[name] for name in PARAMETER_NAMES)
    z = horizon / (alpha + age + horizon)
    # NOTE: at a = 1 exactly, the scale is infinite and the bracket is 0, so the
    # product is NaN. A fit that lands there fails on its non-finite predictions.
    bracket = 1.0 - np.power(1.0 - z, a - 1.0) * hyp2f1(
        a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z
    )
    scale = (a + b + x - 1.0) / (a - 1.0)
    return np.asarray(scale * bracket)
