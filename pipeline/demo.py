"""The demo: a synthetic store, a recompute, a deletion batch and a second recompute.

`run_demo` leaves a store that shows every output before and after a bulk deletion,
and returns the figures for a before/after summary. It never overwrites purchases
it did not create: an existing store is reused only when it contains no purchases, and
`fresh=True` recreates a folder only when it is a store (it has `storepipe.toml`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from pipeline.deletion import delete_purchases
from pipeline.generate import REFERENCE_TIME, GeneratorSpec, generate_store
from pipeline.generate.target import prepare_empty_store
from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.store import Store

log = logging.getLogger(__name__)

# Big enough for CLV under the default settings: over 500 buyers and purchases,
# two years of history and many buyers with 3 or more purchases.
DEMO_SPEC = GeneratorSpec(contacts=3_000, purchases=9_000, seed=2026)
# The batch is 3% of the purchases, below the default 5% guard rail.
DELETED_SHARE = 0.03
DELETION_REASON = "demo"
TOP_SELLERS = 5


@dataclass
class StoreFigures:
    """Figures of the published outputs at one moment of the demo."""

    purchases: int
    revenue: Decimal
    top_sellers: list[tuple[int, str, int]]
    rfm_segments: dict[str, int]


@dataclass
class DemoReport:
    """Outcome of a demo: the store, both sets of figures and the deletion."""

    store_path: Path
    before: StoreFigures
    after: StoreFigures
    deleted: int
    contacts_affected: int
    segment_changes: dict[tuple[str, str], int] = field(default_factory=dict)
    run_ids: list[str] = field(default_factory=list)


def run_demo(
    path: Path,
    *,
    fresh: bool = False,
    spec: GeneratorSpec = DEMO_SPEC,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Generate a store at `path`, recompute, delete a batch, recompute again.

    Every step is a recorded run in the store's `runs/` folder. Recomputes use the
    generator's reference time as `as_of`, so the figures do not depend on today.
    """
    prepare_empty_store(path, fresh=fresh)
    run_ids = []
    with Store.open(path, command="demo") as store:
        with recorded_run(store.path, "demo generate") as record:
            generate_store(store, spec, record, progress)
        run_ids.append(record.run_id)

        with recorded_run(store.path, "demo recompute", REFERENCE_TIME) as record:
            recompute_store(store, REFERENCE_TIME, record)
        run_ids.append(record.run_id)
        before = read_figures(store.con)

        # Delete a deterministic sample of purchases made by known contacts.
        ids, contacts = pick_deletion(store.con, round(DELETED_SHARE * spec.purchases))
        with recorded_run(store.path, "demo delete") as record:
            result = delete_purchases(
                store, ids, by="store-id", reason=DELETION_REASON, record=record
            )
        run_ids.append(record.run_id)

        with recorded_run(store.path, "demo recompute", REFERENCE_TIME) as record:
            recompute_store(store, REFERENCE_TIME, record)
        run_ids.append(record.run_id)
        after = read_figures(store.con)
        changes = read_segment_changes(store.con, record.run_id)

    log.info("demo finished in %s: deleted %s", path, result.counts)
    return DemoReport(
        store_path=path,
        before=before,
        after=after,
        deleted=result.counts.get("deleted", 0),
        contacts_affected=contacts,
        segment_changes=changes,
        run_ids=run_ids,
    )


def pick_deletion(con: duckdb.DuckDBPyConnection, count: int) -> tuple[list[str], int]:
    """Pick `count` purchases of known contacts by the md5 of their ids.

    The order depends only on the ids, so the same store gives the same batch.
    Returns the purchase ids and the number of distinct contacts they belong to.
    """
    rows = con.execute(
        "SELECT purchase_id, contact_id FROM lake.purchases "
        "WHERE contact_id IS NOT NULL ORDER BY md5(purchase_id) LIMIT ?",
        [count],
    ).fetchall()
    return [row[0] for row in rows], len({row[1] for row in rows})


def read_figures(con: duckdb.DuckDBPyConnection) -> StoreFigures:
    """Read purchases, revenue, the all-time top sellers and the RFM segment sizes."""
    row = con.execute(
        "SELECT count(*), coalesce(sum(total_price), 0) FROM lake.purchases"
    ).fetchone()
    assert row is not None
    top = con.execute(
        "SELECT rank, product_id, units FROM lake.best_sellers "
        "WHERE period = 'all' AND category IS NULL AND rank <= ? ORDER BY rank",
        [TOP_SELLERS],
    ).fetchall()
    segments = con.execute(
        "SELECT segment, count(*) FROM lake.rfm GROUP BY segment ORDER BY segment"
    ).fetchall()
    return StoreFigures(
        purchases=int(row[0]),
        revenue=Decimal(row[1]),
        top_sellers=[(int(r[0]), str(r[1]), int(r[2])) for r in top],
        rfm_segments={str(name): int(size) for name, size in segments},
    )


def read_segment_changes(
    con: duckdb.DuckDBPyConnection, run_id: str
) -> dict[tuple[str, str], int]:
    """Count the entries and exits of each dynamic segment in one run."""
    rows = con.execute(
        "SELECT segment, change, count(*) FROM lake.segment_changes "
        "WHERE run_id = ? GROUP BY ALL ORDER BY ALL",
        [run_id],
    ).fetchall()
    return {(str(segment), str(change)): int(n) for segment, change, n in rows}


def format_summary(report: DemoReport) -> list[str]:
    """Return the before/after summary as lines of text."""
    before, after = report.before, report.after
    lines = [
        f"store: {report.store_path}",
        f"as of: {REFERENCE_TIME.isoformat()}",
        f"deleted purchases: {report.deleted} (reason {DELETION_REASON!r})",
        f"contacts affected: {report.contacts_affected}",
        "",
        f"{'':24}{'before':>14}{'after':>14}{'change':>14}",
        _row("purchases", before.purchases, after.purchases),
        _row("revenue", before.revenue, after.revenue),
        "",
        "best sellers, all time (rank: product, units):",
    ]
    for rank in range(1, TOP_SELLERS + 1):
        lines.append(
            f"  {rank}. {_seller(before.top_sellers, rank):<24}"
            f"-> {_seller(after.top_sellers, rank)}"
        )
    lines += ["", "RFM segments (contacts):"]
    for name in sorted(before.rfm_segments.keys() | after.rfm_segments.keys()):
        lines.append(
            _row(
                f"  {name}",
                before.rfm_segments.get(name, 0),
                after.rfm_segments.get(name, 0),
            )
        )
    lines += ["", "dynamic segments, last recompute (contacts entered / left):"]
    names = sorted({segment for segment, _ in report.segment_changes})
    if not names:
        lines.append("  no entries or exits")
    for name in names:
        entered = report.segment_changes.get((name, "entered"), 0)
        left = report.segment_changes.get((name, "left"), 0)
        lines.append(f"  {name}: {entered} entered, {left} left")
    return lines


def _row(label: str, before: int | Decimal, after: int | Decimal) -> str:
    return f"{label:<24}{before:>14}{after:>14}{after - before:>+14}"


def _seller(sellers: list[tuple[int, str, int]], rank: int) -> str:
    for seller_rank, product_id, units in sellers:
        if seller_rank == rank:
            return f"{product_id} ({units})"
    return "-"
