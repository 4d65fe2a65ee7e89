"""Maximum-likelihood fitting shared by the BG/NBD and Gamma-Gamma models.

Both models have positive parameters, so the optimizer works on their logarithms:
the search is unconstrained and a step can never leave the parameter space.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.optimize

from pipeline.clv import DEFAULT_MAX_ITERATIONS

# Returns the weighted log-likelihood and its gradient with respect to the
# parameters themselves (not their logarithms).
LogLikelihood = Callable[[np.ndarray], tuple[float, np.ndarray]]

# Gradient tolerance of BFGS on the mean negative log-likelihood per contact. It is
# tight because the BG/NBD likelihood is flat along a and b: stopping at 1e-5 leaves
# b of CDNOW at 2.429 where the optimum is 2.426.
GRADIENT_TOLERANCE = 1e-8
# BFGS may stop on rounding noise ("precision loss") before reaching the tolerance.
# Such a stop counts as converged when every gradient component is below this.
ACCEPTED_GRADIENT = 1e-5
BFGS_PRECISION_LOSS = 2


@dataclass(frozen=True)
class FitResult:
    """Maximum-likelihood estimates of one model, or the reason the fit failed."""

    params: dict[str, float]
    log_likelihood: float
    iterations: int
    converged: bool
    message: str


def maximize(
    log_likelihood: LogLikelihood,
    names: tuple[str, ...],
    start: np.ndarray,
    total_weight: float,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> FitResult:
    """Maximize a log-likelihood over positive parameters with BFGS on their logs.

    The objective is the negative log-likelihood divided by `total_weight`, so the
    gradient tolerance means the same for a store of 1,000 contacts as for one of
    1,000,000. A fit counts as converged when BFGS reports success, or stops on
    precision loss with a gradient below ACCEPTED_GRADIENT, and the parameters and
    log-likelihood are finite.
    """

    def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = log_likelihood(params)
        if not math.isfinite(value):
            return math.inf, np.zeros_like(log_params)
        # Chain rule for theta = exp(log theta): d/d(log theta) = theta * d/d(theta).
        return -value / total_weight, -(gradient * params) / total_weight

    with np.errstate(all="ignore"):
        result = scipy.optimize.minimize(
            objective,
            np.log(start),
            jac=True,
            method="BFGS",
            options={"maxiter": max_iterations, "gtol": GRADIENT_TOLERANCE},
        )
        params = np.exp(result.x)
        value = float(log_likelihood(params)[0])
    finite = bool(np.all(np.isfinite(params))) and math.isfinite(value)
    stationary = bool(result.success) or (
        result.status == BFGS_PRECISION_LOSS
        and float(np.max(np.abs(result.jac))) < ACCEPTED_GRADIENT
    )
    converged = stationary and finite
    message = str(result.message)
    if stationary and not finite:
        message = "the optimizer stopped at non-finite parameters or likelihood"
    return FitResult(
        params={name: float(v) for name, v in zip(names, params, strict=True)},
        log_likelihood=value,
        iterations=int(result.nit),
        converged=converged,
        message=message,
    )
