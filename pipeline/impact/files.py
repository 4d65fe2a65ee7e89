"""The dry run of a deletion on a store path, and the impact's JSON and HTML files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.deletion import IdKind
from pipeline.errors import UsageError
from pipeline.impact.preview import preview_deletion
from pipeline.impact.report import report_html
from pipeline.store import Store
from pipeline.timeparse import parse_as_of


def preview_store_deletion(
    store_path: Path,
    requested_ids: Sequence[str],
    by: IdKind,
    as_of_text: str | None,
) -> dict[str, Any]:
    """Preview a deletion on a store opened read-only, so nothing under it changes.

    A read-only open takes no lock, writes no run folder and publishes nothing.
    """
    with Store.open(store_path, write=False) as store:
        as_of = parse_as_of(as_of_text, store.settings.store.time_zone)
        return preview_deletion(store, requested_ids, by=by, as_of=as_of)


def check_output_paths(*paths: Path | None) -> None:
    """Raise UsageError unless each given path is a file that can be written.

    Called before a deletion commits, so a bad --output or --report path fails the
    command before anything is deleted.
    """
    for path in paths:
        if path is None:
            continue
        if path.is_dir():
            raise UsageError(f"{path} is a folder; give a file path to write")
        if not path.parent.is_dir():
            raise UsageError(
                f"cannot write {path}: folder {path.parent} not found; create it first"
            )


def write_impact_files(
    impact: dict[str, Any], output: Path | None, report: Path | None
) -> None:
    """Write the impact as JSON to `output` and as HTML to `report`, when given."""
    if output is not None:
        output.write_text(json.dumps(impact, indent=2) + "\n", encoding="utf-8")
    if report is not None:
        report.write_text(report_html(impact), encoding="utf-8")
