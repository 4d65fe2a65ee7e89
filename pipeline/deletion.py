"""Bulk purchase deletion: one batch of ids, one atomic commit, one outcome per id.

A deletion removes purchases and their lines only. Contacts, the catalog, carts,
related products and workflow activity are never written here, so they stay exactly
as they were. The recompute that follows updates everything derived from purchases.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import polars as pl

from pipeline.errors import BadInputError
from pipeline.runs import RunRecord
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)

IdKind = Literal["store-id", "internal-id"]
OUTCOMES = ("deleted", "not_found", "already_deleted")
_INTEGER = re.compile(r"[0-9]{1,18}")


@dataclass
class DeletionResult:
    """The outcome of a batch: counts and one row per distinct requested id."""

    batch_id: str
    requested_by: IdKind
    reason: str | None
    counts: dict[str, int]
    outcomes: pl.DataFrame
    snapshot_before: int
    snapshot_after: int

    @property
    def committed(self) -> bool:
        return self.snapshot_after != self.snapshot_before


def new_batch_id(now: dt.datetime | None = None) -> str:
    """Return a sortable, unique batch id such as `b20261204T153000Z-5c2e0a`."""
    now = now or dt.datetime.now(dt.UTC)
    return f"b{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def read_id_file(path: Path) -> list[str]:
    """Read ids from a CSV file with a `purchase_id` column, or from one id per line.

    A UTF-8 byte order mark and CRLF line ends are accepted; blank lines are skipped.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BadInputError(f"id file {path} not found; check the path") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise BadInputError(
            f"{path}:{line}: invalid UTF-8 byte {exc.object[exc.start]:#04x}; "
            "save the file as UTF-8"
        ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise BadInputError(f"{path} contains no ids; give one id per line or a CSV")
    header = [cell.strip() for cell in next(csv.reader([first]))]
    if "purchase_id" in header:
        return _ids_from_csv(path, text, header.index("purchase_id"))
    if len(header) > 1:
        raise BadInputError(
            f"{path}:1: CSV header {first.strip()!r} has no purchase_id column; "
            "name the id column purchase_id or give one id per line"
        )
    return [line for line in lines if line.strip()]


def _ids_from_csv(path: Path, text: str, column: int) -> list[str]:
    ids = []
    reader = csv.reader(io.StringIO(text))
    next(reader)
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= column:
            raise BadInputError(
                f"{path}:{number}: row {row!r} has no purchase_id value; "
                "fill the column or remove the row"
            )
        ids.append(row[column])
    if not ids:
        raise BadInputError(f"{path} has a header but no ids; add ids below it")
    return ids


def normalize_ids(requested_ids: Sequence[str], by: IdKind) -> list[str]:
    """Strip surrounding white space, drop repeats (first wins) and check the ids.

    An id listed twice in one batch counts once. Internal ids must be integers.
    """
    seen: dict[str, None] = {}
    for position, raw in enumerate(requested_ids, start=1):
        value = raw.strip()
        if not value:
            raise BadInputError(
                f"requested id #{position} is empty; remove blank ids from the batch"
            )
        if by == "internal-id" and not _INTEGER.fullmatch(value):
            raise BadInputError(
                f"invalid internal id {raw!r} (#{position}): internal ids are whole "
                "numbers; use --by store-id for store purchase ids"
            )
        seen.setdefault(value, None)
    if not seen:
        raise BadInputError("no ids to delete; pass ids as arguments or --file")
    return list(seen)


def resolve_outcomes(store: Store, ids: list[str], by: IdKind) -> None:
    """Build the temp table `deletion_outcomes` for the requested ids."""
    requested = pl.DataFrame(
        {"position": range(1, len(ids) + 1), "requested_id": ids},
        schema={"position": pl.Int64, "requested_id": pl.String},
    )
    store.con.register("requested_frame", requested)
    try:
        store.con.execute(
            "CREATE OR REPLACE TEMP TABLE requested_ids AS "
            "SELECT * FROM requested_frame"
        )
    finally:
        store.con.unregister("requested_frame")
    name = "resolve_store_ids" if by == "store-id" else "resolve_internal_ids"
    store.con.execute(load_sql(f"deletion/{name}"))


def _checked_impact(
    store: Store, ids: list[str], by: IdKind, impact: dict[str, Any] | None
) -> dict[str, Any]:
    """Return the batch's impact after checking it against the guard rails."""
    # Imported here because the preview module imports this one.
    from pipeline.impact.guards import check_guard_rails
    from pipeline.impact.preview import preview_deletion

    if impact is None:
        impact = preview_deletion(store, ids, by=by, as_of=dt.datetime.now(dt.UTC))
    check_guard_rails(impact, store.settings.deletion)
    return impact


def deleted_internal_ids(store: Store) -> list[int]:
    """Return the internal ids that `deletion_outcomes` marks for deletion."""
    rows = store.con.execute(
        "SELECT internal_id FROM deletion_outcomes WHERE outcome = 'deleted' "
        "ORDER BY internal_id"
    ).fetchall()
    return [int(row[0]) for row in rows]


def delete_purchases(
    store: Store,
    requested_ids: Sequence[str],
    *,
    by: IdKind = "store-id",
    reason: str | None = None,
    record: RunRecord | None = None,
    impact: dict[str, Any] | None = None,
    enforce_guard_rails: bool = False,
) -> DeletionResult:
    """Delete a batch of purchases in one commit and log each id's outcome.

    Ids that are not found or were already deleted are reported and logged; they do
    not fail the rest of the batch. `impact`, when given, is stored with the batch.
    With `enforce_guard_rails`, a batch over a `[deletion]` limit raises
    BadInputError before anything is written; the check reads `impact`, or a
    preview at the current time when no impact is given.
    """
    ids = normalize_ids(requested_ids, by)
    if enforce_guard_rails:
        impact = _checked_impact(store, ids, by, impact)
    batch_id = new_batch_id()
    snapshot_before = store.snapshot_id()
    resolve_outcomes(store, ids, by)

    # Log every outcome and remove the purchases, all in one commit.
    parameters = {"batch_id": batch_id, "reason": reason}
    with store.transaction():
        store.con.execute(load_sql("deletion/log_outcomes"), parameters)
        store.con.execute(load_sql("deletion/delete_lines"))
        store.con.execute(load_sql("deletion/delete_purchases"))
        store.con.execute(
            load_sql("deletion/record_batch"),
            {
                **parameters,
                "requested_by": by,
                "snapshot_before": snapshot_before,
                "impact": json.dumps(impact, default=str) if impact else None,
            },
        )

    outcomes = store.con.execute(
        "SELECT requested_id, outcome, internal_id, purchase_id, contact_id, "
        "total_price, purchased_at FROM deletion_outcomes ORDER BY position"
    ).pl()
    counts = {name: 0 for name in OUTCOMES}
    for name, count in outcomes.group_by("outcome").len().iter_rows():
        counts[name] = count
    result = DeletionResult(
        batch_id=batch_id,
        requested_by=by,
        reason=reason,
        counts=counts,
        outcomes=outcomes,
        snapshot_before=snapshot_before,
        snapshot_after=store.snapshot_id(),
    )
    log.info("deletion batch %s: %s", batch_id, counts)
    if record is not None:
        record.counts.update({f"deletion.{k}": v for k, v in counts.items()})
        record.counts["deletion.batch_id"] = batch_id
        record.snapshots["after_deletion"] = result.snapshot_after
    return result
