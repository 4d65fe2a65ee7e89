"""The Typer app, shared options and console helpers for every command module."""

from __future__ import annotations

import enum
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from pipeline.store import DEFAULT_STORE

app = typer.Typer(
    name="storepipe",
    help="Bulk purchase deletion and store-wide recomputation on DuckLake.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


@dataclass
class CliState:
    """Global flags set by the app callback."""

    debug: bool = False


state = CliState()

StoreOption = Annotated[
    Path,
    typer.Option(
        "--store",
        envvar="STOREPIPE_STORE",
        help="Store folder (catalog, data files and settings).",
        show_default=True,
    ),
]
STORE_DEFAULT = DEFAULT_STORE

WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        min=0,
        help="Seconds to wait for another writer to finish before failing.",
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date (midnight in the store time zone) or ISO 8601 instant; "
        "default: now.",
    ),
]


class FormatChoice(enum.StrEnum):
    """Output formats for result tables."""

    table = "table"
    csv = "csv"
    json = "json"


class IdKindChoice(enum.StrEnum):
    """The kind of id that a deletion request gives: store or internal."""

    store_id = "store-id"
    internal_id = "internal-id"


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Log DEBUG lines and show tracebacks.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log INFO lines to stderr.")
    ] = False,
) -> None:
    """Bulk purchase deletion and store-wide recomputation on DuckLake."""
    state.debug = debug
    level = logging.WARNING
    if verbose:
        level = logging.INFO
    if debug:
        level = logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("storepipe: %(levelname)s %(message)s"))
    handler.setLevel(level)
    handler.addFilter(lambda record: not getattr(record, "run_log_only", False))
    package_logger = logging.getLogger("pipeline")
    package_logger.handlers = [handler]
    package_logger.setLevel(min(level, logging.INFO))
    package_logger.propagate = False


def echo(text: str = "") -> None:
    """Print data or a report to stdout."""
    typer.echo(text)


def note(text: str) -> None:
    """Print a diagnostic line to stderr."""
    typer.echo(text, err=True)


def on_terminal() -> bool:
    """Tell whether stderr is a terminal, where progress may be shown."""
    return sys.stderr.isatty()
