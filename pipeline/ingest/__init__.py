"""Loading purchases and store entities: readers fill staging tables, one commit."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.importer import ImportRequest, ImportSummary, import_files
from pipeline.runs import RunRecord
from pipeline.store import Store


def import_inbox_files(
    store: Store, files: list[Path], kind: str, record: RunRecord
) -> ImportSummary:
    """Import inbox files of one kind in one commit, read as `[inbox]` sets.

    `kind` is an --kind value or its table name (related_products); the preset,
    format and column mapping of `[inbox]` apply to purchase files only.
    """
    kind = kind.replace("_", "-")
    inbox = store.settings.inbox
    if kind == "purchases":
        request = ImportRequest(
            files, kind, inbox.format, inbox.preset, dict(inbox.map)
        )
    else:
        request = ImportRequest(files, kind)
    return import_files(store, request, record)
