"""Commands of the CLV model: `storepipe clv fit`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from pipeline.cli.common import (
    STORE_DEFAULT,
    AsOfOption,
    StoreOption,
    WaitOption,
    app,
    echo,
)
from pipeline.clv import DEFAULT_MAX_ITERATIONS
from pipeline.runs import recorded_run
from pipeline.store import Store
from pipeline.timeparse import parse_as_of

if TYPE_CHECKING:
    from pipeline.clv.step import ClvOutcome

clv_app = typer.Typer(
    help="Fit the CLV model (BG/NBD and Gamma-Gamma).",
    no_args_is_help=True,
)
app.add_typer(clv_app, name="clv")

MODEL_FIELDS = (
    "status",
    "reason",
    "time_unit",
    "contacts_used",
    "r",
    "alpha",
    "a",
    "b",
    "log_likelihood",
    "iterations",
    "gamma_gamma_contacts_used",
    "p",
    "q",
    "gamma",
    "gamma_gamma_log_likelihood",
    "spend_frequency_correlation",
)


@clv_app.command("fit")
def fit(
    store: StoreOption = STORE_DEFAULT,
    as_of: AsOfOption = None,
    time_unit: Annotated[
        Literal["days", "weeks"] | None,
        typer.Option(
            "--time-unit",
            help="Time unit of recency, age and the model; default: the setting "
            "clv.time_unit.",
        ),
    ] = None,
    max_iterations: Annotated[
        int,
        typer.Option(
            "--max-iterations",
            min=1,
            help="Maximum BFGS iterations of each fit; a fit that reaches it fails.",
        ),
    ] = DEFAULT_MAX_ITERATIONS,
    wait: WaitOption = 0.0,
) -> None:
    """Fit the CLV models at --as-of, store predictions and the model row in one
    commit, and print the model."""
    # Imported here: SciPy takes a while to load, and other commands never need it.
    from pipeline.clv.store_fit import fit_clv

    with Store.open(store, command="clv fit", wait=wait) as opened:
        instant = parse_as_of(as_of, opened.settings.store.time_zone)
        with recorded_run(opened.path, "clv fit", instant) as record:
            outcome = fit_clv(opened, instant, record, time_unit, max_iterations)
    echo(f"run_id: {record.run_id}")
    echo(f"as_of: {instant.isoformat()}")
    print_model(outcome)


def print_model(outcome: ClvOutcome) -> None:
    """Print the model row as `name: value` lines, floats with 6 significant digits."""
    for name in MODEL_FIELDS:
        value = outcome.row.get(name)
        if value is None:
            text = ""
        elif isinstance(value, float):
            text = f"{value:.6g}"
        else:
            text = str(value)
        echo(f"{name}: {text}")
