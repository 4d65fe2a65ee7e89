"""The `import` command: load purchase or entity files into a store in one commit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.common import STORE_DEFAULT, StoreOption, WaitOption, app, echo
from pipeline.errors import UsageError
from pipeline.ingest.importer import (
    FORMATS,
    KINDS,
    PRESETS,
    ImportRequest,
    ImportSummary,
    import_files,
)
from pipeline.runs import recorded_run
from pipeline.store import Store


@app.command("import")
def import_command(
    files: Annotated[
        list[Path], typer.Argument(help="Files to import, all of one kind.")
    ],
    store: StoreOption = STORE_DEFAULT,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=f"File format: {', '.join(FORMATS)}; default: from the file name.",
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help=f"What the files contain: {', '.join(KINDS)}.")
    ] = "purchases",
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset", help=f"Read a public data set layout: {', '.join(PRESETS)}."
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD: read a flat line file's column as a purchase field, "
            "for example --map InvoiceNo=purchaseId. Repeatable.",
        ),
    ] = None,
    wait: WaitOption = 0.0,
) -> None:
    """Import files in one commit; purchases already imported unchanged are skipped."""
    request = ImportRequest(
        files=files,
        kind=kind,
        file_format=file_format,
        preset=preset,
        mapping=parse_mapping(mapping or []),
    )
    with Store.open(store, command="import", wait=wait) as opened:
        with recorded_run(opened.path, "import") as record:
            summary = import_files(opened, request, record)
    print_summary(summary, record.run_id)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """Return the --map items as a column -> field dict, or raise UsageError."""
    mapping: dict[str, str] = {}
    for item in items:
        column, separator, field = item.partition("=")
        if not separator or not column.strip() or not field.strip():
            raise UsageError(
                f"invalid --map {item!r}; write COLUMN=FIELD, "
                "for example InvoiceNo=purchaseId"
            )
        mapping[column.strip()] = field.strip()
    return mapping


def print_summary(summary: ImportSummary, run_id: str) -> None:
    """Print the counts of an import to stdout, one `name: value` line each."""
    counts = summary.counts
    committed = summary.snapshot_after != summary.snapshot_before
    echo(
        f"imported in snapshot {summary.snapshot_after} (run {run_id})"
        if committed
        else f"nothing new to import; snapshot {summary.snapshot_after} unchanged "
        f"(run {run_id})"
    )
    echo(f"rows read: {summary.rows_read}")
    echo(f"purchases new: {counts['purchases_new']}")
    echo(f"purchases unchanged: {counts['purchases_unchanged']}")
    echo(f"lines new: {counts['lines_new']}")
    echo(f"contacts created: {counts['contacts_created']}")
    echo(f"products created: {counts['products_created']}")
    for key, value in counts.items():
        if key.endswith("_upserted") and value:
            echo(f"{key.removesuffix('_upserted').replace('_', ' ')} upserted: {value}")
    for reason, value in summary.skipped.items():
        echo(f"skipped {reason}: {value}")
