"""Commands of the main job: init, delete, recompute, nightly and query."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.common import (
    STORE_DEFAULT,
    AsOfOption,
    FormatChoice,
    IdKindChoice,
    StoreOption,
    WaitOption,
    app,
    echo,
    note,
)
from pipeline.cli.progress import step_progress
from pipeline.deletion import delete_purchases, read_id_file
from pipeline.errors import UsageError
from pipeline.impact.files import (
    check_output_paths,
    preview_store_deletion,
    write_impact_files,
)
from pipeline.impact.preview import preview_deletion
from pipeline.impact.summary import summary_text
from pipeline.nightly import run_nightly
from pipeline.output import render
from pipeline.query import query_store
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
        with (
            recorded_run(opened.path, "recompute", instant) as record,
            step_progress("recomputing") as progress,
        ):
            recompute_store(opened, instant, record, progress)
    echo(f"recomputed at {instant.isoformat()} (run {record.run_id})")
    for key, value in sorted(record.counts.items()):
        if key.startswith("rows."):
            echo(f"  {key.removeprefix('rows.')}: {value} rows")


@app.command()
def delete(
    ids: Annotated[
        list[str] | None,
        typer.Argument(help="Purchase ids to delete.", show_default=False),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="CSV with a purchase_id column, or a file with one id per line.",
        ),
    ] = None,
    by: Annotated[
        IdKindChoice,
        typer.Option("--by", help="Whether the ids are store ids or internal ids."),
    ] = IdKindChoice.store_id,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why the batch is deleted, kept in the log."),
    ] = None,
    output_format: Annotated[
        FormatChoice, typer.Option("--format", help="How to print the outcomes.")
    ] = FormatChoice.table,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print the batch's impact on every output and write nothing.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Delete even when the batch crosses a [deletion] limit."
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write the full impact as JSON to this file."),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Write the impact as a self-contained HTML report."
        ),
    ] = None,
    as_of: AsOfOption = None,
    store: StoreOption = STORE_DEFAULT,
    wait: WaitOption = 0.0,
) -> None:
    """Delete a batch of purchases in one commit and print each id's outcome.

    The batch's impact on every output is computed first and stored with it;
    --dry-run prints that impact and writes nothing to the store.
    """
    requested = list(ids or [])
    if file is not None:
        requested.extend(read_id_file(file))
    if not requested:
        raise UsageError("no ids to delete; pass ids as arguments or --file FILE")
    check_output_paths(output, report)
    if dry_run:
        impact = preview_store_deletion(store, requested, by.value, as_of)
        echo(summary_text(impact))
        write_impact_files(impact, output, report)
        return
    with Store.open(store, command="delete", wait=wait) as opened:
        instant = parse_as_of(as_of, opened.settings.store.time_zone)
        with recorded_run(opened.path, "delete", instant) as record:
            with record.step("preview"):
                impact = preview_deletion(opened, requested, by=by.value, as_of=instant)
            result = delete_purchases(
                opened,
                requested,
                by=by.value,
                reason=reason,
                record=record,
                impact=impact,
                enforce_guard_rails=not force,
            )
    write_impact_files(impact, output, report)
    echo(render(result.outcomes, output_format.value))
    counts = ", ".join(f"{count} {name}" for name, count in result.counts.items())
    note(f"batch {result.batch_id}: {counts}")
    if result.counts.get("deleted"):
        note("run `storepipe recompute` to update the outputs")
    else:
        note("nothing was deleted, so the outputs are still current")


@app.command()
def nightly(
    store: StoreOption = STORE_DEFAULT,
    as_of: AsOfOption = None,
    wait: WaitOption = 0.0,
) -> None:
    """Import the inbox, apply waiting deletions and recompute every output."""
    with step_progress("nightly recompute") as progress:
        record = run_nightly(store, as_of, wait, progress)
    echo(f"nightly run {record.run_id} ok at {record.as_of}")
    for entry in record.inputs:
        details = ", ".join(
            f"{key} {value}"
            for key, value in entry.items()
            if key not in ("path", "file", "kind")
        )
        path = entry.get("path") or entry.get("file")
        echo(f"  {entry.get('kind')}: {path}" + (f" ({details})" if details else ""))
    for key, value in sorted(record.counts.items()):
        if key.startswith(("import.", "deletion.", "rows.")):
            echo(f"  {key}: {value}")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    output_format: Annotated[
        FormatChoice, typer.Option("--format", help="Output format.")
    ] = FormatChoice.table,
    at_snapshot: Annotated[
        int | None,
        typer.Option("--at-snapshot", help="Query the store as of this snapshot id."),
    ] = None,
    before_batch: Annotated[
        str | None,
        typer.Option(
            "--before-batch", help="Query the store as it was before a deletion batch."
        ),
    ] = None,
    allow_local_files: Annotated[
        bool,
        typer.Option(
            "--allow-local-files",
            help="Let the query read and write local files outside the store.",
        ),
    ] = False,
    store: StoreOption = STORE_DEFAULT,
) -> None:
    """Run read-only SQL against the store's published tables."""
    if at_snapshot is not None and before_batch is not None:
        raise UsageError("give --at-snapshot or --before-batch, not both")
    frame = query_store(
        store,
        sql,
        at_snapshot=at_snapshot,
        before_batch=before_batch,
        allow_local_files=allow_local_files,
    )
    echo(render(frame, output_format.value))
