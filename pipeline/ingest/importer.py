"""`storepipe import`: read files of one kind into the staging tables, one commit."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.errors import BadInputError, UsageError
from pipeline.ingest.cdnow import stage_cdnow
from pipeline.ingest.entities import ENTITY_KINDS, stage_entity_file
from pipeline.ingest.flat_lines import stage_flat_lines
from pipeline.ingest.online_retail import stage_online_retail
from pipeline.ingest.purchases_jsonl import stage_purchases_jsonl
from pipeline.ingest.staging import commit_staged, create_staging_tables
from pipeline.runs import RunRecord
from pipeline.store import Store

log = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "csv.gz", "parquet")
KINDS = ("purchases", *ENTITY_KINDS)
PRESETS = ("online-retail", "cdnow")


@dataclass
class ImportRequest:
    """Files of one kind to import in one commit, and how to read them."""

    files: list[Path]
    kind: str = "purchases"
    file_format: str | None = None
    preset: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportSummary:
    """Counts of one import: what was written, what was unchanged or skipped."""

    counts: dict[str, int]
    rows_read: int
    skipped: dict[str, int]
    snapshot_before: int
    snapshot_after: int


def detect_format(path: Path) -> str:
    """Return the format named by a file's extension, or raise UsageError."""
    name = path.name.lower()
    for suffix, file_format in (
        (".csv.gz", "csv.gz"),
        (".csv", "csv"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".parquet", "parquet"),
    ):
        if name.endswith(suffix):
            return file_format
    raise UsageError(
        f"cannot tell the format of {path} from its name; "
        f"pass --format with one of {', '.join(FORMATS)}"
    )


def import_files(
    store: Store, request: ImportRequest, record: RunRecord
) -> ImportSummary:
    """Stage every file of `request` and commit them together in one commit."""
    _check_request(request)
    before = store.snapshot_id()
    create_staging_tables(store.con, store.amount_scale)
    rows_read = 0
    skipped: Counter[str] = Counter()
    with record.step("import.read"):
        for path in request.files:
            record.inputs.append({"path": str(path), "kind": request.kind})
            try:
                read, file_skipped = _stage_file(store, request, path)
            except duckdb.ConversionException as exc:
                # A value does not fit its column, such as an amount beyond
                # DECIMAL(18, scale). Nothing is committed before commit_staged.
                # DuckDB appends the SQL text after "LINE n:", which names no input.
                message = " ".join(str(exc).split("LINE ")[0].split())
                digits = 18 - store.amount_scale
                raise BadInputError(
                    f"{path}: {message}; give amounts below 10^{digits} and whole "
                    "numbers that fit in 64 bits"
                ) from None
            rows_read += read
            skipped.update(file_skipped)
    counts = commit_staged(store, record)
    record.counts["import.rows_read"] = rows_read
    record.counts.update({f"import.skipped.{k}": v for k, v in skipped.items()})
    return ImportSummary(counts, rows_read, dict(skipped), before, store.snapshot_id())


def _check_request(request: ImportRequest) -> None:
    if request.kind not in KINDS:
        raise UsageError(f"invalid --kind {request.kind!r}; use one of {KINDS}")
    if request.preset is not None and request.preset not in PRESETS:
        raise UsageError(f"invalid --preset {request.preset!r}; use one of {PRESETS}")
    if request.preset is not None and request.kind != "purchases":
        raise UsageError("--preset reads purchases; leave out --kind or use purchases")
    if request.file_format is not None and request.file_format not in FORMATS:
        raise UsageError(
            f"invalid --format {request.file_format!r}; use one of {FORMATS}"
        )
    if not request.files:
        raise UsageError("no files given; name at least one file to import")
    for path in request.files:
        if not path.is_file():
            raise BadInputError(f"file {path} not found; check the path")


def _stage_file(
    store: Store, request: ImportRequest, path: Path
) -> tuple[int, dict[str, int]]:
    """Stage one file; return the rows read and the skipped rows per reason."""
    con = store.con
    settings = store.settings.store
    scale = store.amount_scale
    if request.preset == "cdnow":
        return stage_cdnow(con, path, settings.time_zone, scale), {}
    file_format = request.file_format or detect_format(path)
    if request.preset == "online-retail":
        return stage_online_retail(
            con, path, file_format, scale, settings.non_merchandise
        )
    if request.kind != "purchases":
        return stage_entity_file(con, path, file_format, request.kind, scale), {}
    if file_format == "jsonl" and not request.mapping:
        return stage_purchases_jsonl(con, path, scale), {}
    return stage_flat_lines(con, path, file_format, request.mapping, scale), {}
