"""Commands that build synthetic stores: generate, demo."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from pipeline.cli.common import (
    STORE_DEFAULT,
    StoreOption,
    WaitOption,
    app,
    echo,
    on_terminal,
)
from pipeline.demo import DEMO_SPEC, format_summary, run_demo
from pipeline.generate import GeneratorSpec, generate_store
from pipeline.generate.target import prepare_empty_store
from pipeline.runs import recorded_run
from pipeline.store import Store

FreshOption = Annotated[
    bool,
    typer.Option(
        "--fresh",
        help="Delete and recreate the store if it exists. A folder that is not a "
        "store is never deleted.",
    ),
]


@app.command()
def generate(
    contacts: Annotated[
        int, typer.Option("--contacts", min=1, help="Number of contacts.")
    ],
    purchases: Annotated[
        int, typer.Option("--purchases", min=1, help="Exact number of purchases.")
    ],
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, help="Random seed; the same seed gives the same store."
        ),
    ] = 0,
    products: Annotated[
        int | None,
        typer.Option(
            "--products",
            min=2,
            help="Merchandise products; default: one per 40 purchases, 100 to 50000.",
        ),
    ] = None,
    store: StoreOption = STORE_DEFAULT,
    fresh: FreshOption = False,
    wait: WaitOption = 0.0,
) -> None:
    """Generate a synthetic store with two years of purchases ending 2026-01-01 UTC."""
    spec = GeneratorSpec(contacts, purchases, seed=seed, products=products)
    spec.validate()
    prepare_empty_store(store, fresh=fresh)
    with Store.open(store, command="generate", wait=wait) as opened:
        with recorded_run(opened.path, "generate") as record:
            with _progress(purchases, "generating") as progress:
                result = generate_store(opened, spec, record, progress)
    echo(f"generated store {store} (run {record.run_id})")
    for key, value in result.counts.items():
        echo(f"  {key}: {value}")
    echo(f"  seconds: {result.seconds:.2f}")
    echo(f"  lines per second: {result.lines_per_second:.0f}")


@app.command()
def demo(store: StoreOption = STORE_DEFAULT, fresh: FreshOption = False) -> None:
    """Generate a demo store, delete a batch of purchases and show what changed.

    An existing store is used only when it contains no purchases, unless --fresh.
    """
    with _progress(DEMO_SPEC.purchases, "generating") as progress:
        report = run_demo(store, fresh=fresh, progress=progress)
    for line in format_summary(report):
        echo(line)


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None off a terminal."""
    if not on_terminal():
        yield None
        return
    with typer.progressbar(length=total, label=label, file=sys.stderr) as bar:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            bar.update(count - done)
            done = count

        yield advance
