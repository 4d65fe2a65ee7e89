"""CLV: per contact BG/NBD and Gamma-Gamma predictions over the live purchases.

`step.clv` is the recompute step, `store_fit.fit_clv` the stand-alone fit behind
`storepipe clv fit`. The summary is built in SQL (`summary`), the models are fitted
by maximum likelihood with NumPy and SciPy (`bgnbd`, `gamma_gamma`, `fitting`), and
`predict` turns the estimates into per contact predictions.
"""

# BFGS iterations allowed for each fit before it counts as failed. It lives here, not
# in `fitting`, so the CLI can show it without importing SciPy.
DEFAULT_MAX_ITERATIONS = 500
