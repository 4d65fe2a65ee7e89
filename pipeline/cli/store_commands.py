"""Commands that create a store and run its main job: init, recompute."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.cli.common import (
    STORE_DEFAULT,
    AsOfOption,
    StoreOption,
    WaitOption,
    app,
    echo,
)
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store
from pipeline.timeparse import parse_as_of


@app.command()
def init(
    store: StoreOption = STORE_DEFAULT,
    time_zone: Annotated[
        str, typer.Option("--time-zone", help="IANA time zone in which days count.")
    ] = "UTC",
    amount_scale: Annotated[
        int,
        typer.Option(
            "--amount-scale",
            help="Decimals kept for prices and totals; fixed for the store's life.",
        ),
    ] = 2,
    catalog: Annotated[
        str | None,
        typer.Option(
            "--catalog",
            help="DuckLake catalog, for example postgres:dbname=lake host=...; "
            "default: an embedded DuckDB file in the store.",
        ),
    ] = None,
) -> None:
    """Create an empty store: catalog, data folder and a commented settings file."""
    Store.create(store, time_zone=time_zone, amount_scale=amount_scale, catalog=catalog)
    echo(f"created store {store} (settings: {store / 'storepipe.toml'})")


@app.command()
def recompute(
    store: StoreOption = STORE_DEFAULT,
    as_of: AsOfOption = None,
    wait: WaitOption = 0.0,
) -> None:
    """Rebuild every output table from the live purchases, in one commit."""
    with Store.open(store, command="recompute", wait=wait) as opened:
        instant = parse_as_of(as_of, opened.settings.store.time_zone)
        with recorded_run(opened.path, "recompute", instant) as record:
            recompute_store(opened, instant, record)
    echo(f"recomputed at {instant.isoformat()} (run {record.run_id})")
    for key, value in sorted(record.counts.items()):
        if key.startswith("rows."):
            echo(f"  {key.removeprefix('rows.')}: {value} rows")
