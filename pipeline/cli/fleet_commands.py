"""Commands that run many stores at once over Ray: fleet nightly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, TypeVar

import typer

from pipeline.cli.common import app, echo, note, on_terminal
from pipeline.errors import UsageError
from pipeline.fleet import FleetOptions, load_fleet_settings, read_stores, run_fleet
from pipeline.fleet.runner import (
    FleetProgress,
    default_manifest_path,
    import_ray,
    new_fleet_run_id,
)
from pipeline.fleet.settings import check_memory_limit

fleet_app = typer.Typer(
    help="Run many stores at once on a Ray cluster.", no_args_is_help=True
)
app.add_typer(fleet_app, name="fleet")

T = TypeVar("T")


@fleet_app.command("nightly")
def fleet_nightly(
    stores: Annotated[
        Path,
        typer.Option(
            "--stores",
            help="A text file with one store path or file:// URI per line, or a "
            "folder whose subfolders holding a storepipe.toml are the stores.",
        ),
    ],
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help="Ray cluster: 'auto' or ray://HOST:PORT; default: start a local "
            "Ray instance with one CPU per core.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date (midnight in each store's time zone) or ISO 8601 instant; "
            "default: the fleet's start, the same instant for every store.",
        ),
    ] = None,
    max_concurrent: Annotated[
        int | None,
        typer.Option(
            "--max-concurrent",
            min=0,
            help="Store runs at once; 0 = the cluster's CPU count. Default: 0 or "
            "the settings file.",
        ),
    ] = None,
    retries: Annotated[
        int | None,
        typer.Option(
            "--retries",
            min=0,
            help="Extra attempts of a store whose worker crashed or whose store "
            "stayed busy. Default: 2 or the settings file.",
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="Fleet manifest (JSON) to write; the fleet log goes beside it as "
            "fleet.log. Default: fleet-runs/<id>/manifest.json next to the stores.",
        ),
    ] = None,
    settings: Annotated[
        Path | None,
        typer.Option("--settings", help="Fleet settings file (TOML)."),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            min=0,
            help="DuckDB threads of each store run; 0 = the store's own setting. "
            "Default: 1 or the settings file.",
        ),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            "--memory-limit",
            help="DuckDB memory limit of each store run, for example 2GB. Default: "
            "the store's own setting or the settings file.",
        ),
    ] = None,
    wait: Annotated[
        float | None,
        typer.Option(
            "--wait",
            min=0,
            help="Seconds each attempt waits for a busy store's lock. Default: 30 "
            "or the settings file.",
        ),
    ] = None,
) -> None:
    """Run the nightly job of every store as a Ray task and write a fleet manifest.

    Exits 0 when every store succeeded, else with the exit code of the most severe
    failure: internal (1), data check (5), bad input (3), usage (2), busy (4).
    """
    import_ray()
    file_settings = load_fleet_settings(settings)
    if memory_limit:
        try:
            check_memory_limit(memory_limit)
        except ValueError as exc:
            raise UsageError(f"--memory-limit: {exc}") from None
    options = FleetOptions(
        address=address,
        as_of=as_of,
        max_concurrent=_pick(max_concurrent, file_settings.fleet.max_concurrent),
        retries=_pick(retries, file_settings.fleet.retries),
        lock_wait_seconds=_pick(wait, file_settings.fleet.lock_wait_seconds),
        threads=_pick(threads, file_settings.engine.threads),
        memory_limit=_pick(memory_limit, file_settings.engine.memory_limit),
    )
    entries = read_stores(stores)
    manifest_path = manifest or default_manifest_path(stores, new_fleet_run_id())
    progress = _show_progress if on_terminal() else None
    result = run_fleet(entries, options, manifest_path, progress)
    echo(result.summary_line())
    echo(f"manifest: {manifest_path}")
    if result.failed:
        names = ", ".join(store.name for store in result.failed)
        note(f"storepipe: error: {len(result.failed)} store(s) failed: {names}")
        raise typer.Exit(result.exit_code)


def _pick(option: T | None, configured: T) -> T:
    return configured if option is None else option


def _show_progress(progress: FleetProgress) -> None:
    done = progress.ok + progress.failed
    typer.echo(
        f"\r{done}/{progress.total} stores done ({progress.failed} failed), "
        f"{progress.running} running ",
        nl=False,
        err=True,
    )
    if done == progress.total:
        typer.echo("", err=True)
