"""Helpers of the reliability tests: the real CLI in a subprocess, generated stores,
table fingerprints and consistency checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from pipeline.generate.run import generate_store
from pipeline.generate.spec import GeneratorSpec
from pipeline.runs import recorded_run
from pipeline.store import Store

STOREPIPE = Path(sys.executable).parent / "storepipe"
# An instant after every generated purchase: recompute results depend only on it.
AS_OF = "2026-01-01"
# Tables that record what happened rather than the store's state: a run killed after
# its commit and then repeated leaves one extra batch or run row in them.
HISTORY_TABLES = ("runs", "deletion_log", "deletion_batches", "erasure_records")
# Tables that each recompute appends to; they are compared as sets of distinct rows,
# because a repeated run appends its rows again.
APPENDED_TABLES = ("clv_model", "segment_changes")
# Columns that differ between two runs of the same command on the same data.
VOLATILE_COLUMNS = ("run_id", "fitted_at", "imported_at", "batch_id", "deleted_at")
# Decimals at which DOUBLE columns are compared.
DOUBLE_DECIMALS = 9


def run_cli(
    *args: str,
    store: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run `storepipe ARGS [--store STORE]` and return the finished process."""
    command = [str(STOREPIPE), *args]
    if store is not None:
        command += ["--store", str(store)]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def generate(path: Path, contacts: int, purchases: int, seed: int = 11) -> None:
    """Create a store at `path` and fill it with a synthetic purchase history."""
    Store.create(path)
    spec = GeneratorSpec(contacts=contacts, purchases=purchases, seed=seed)
    with Store.open(path, command="generate") as store:
        with recorded_run(store.path, "generate") as record:
            generate_store(store, spec, record)


def snapshot_id(path: Path) -> int:
    """Return the store's current snapshot id, read through a read-only attach."""
    with Store.open(path, write=False) as store:
        return store.snapshot_id()


def purchase_ids(path: Path, limit: int, offset: int = 0) -> list[str]:
    """Return store purchase ids of live purchases in internal id order."""
    with Store.open(path, write=False) as store:
        rows = store.con.execute(
            "SELECT purchase_id FROM purchases ORDER BY internal_id LIMIT ? OFFSET ?",
            [limit, offset],
        ).fetchall()
    return [str(row[0]) for row in rows]


def product_ids(path: Path, limit: int) -> list[str]:
    """Return the first product ids of the store's catalog."""
    with Store.open(path, write=False) as store:
        rows = store.con.execute(
            "SELECT product_id FROM products ORDER BY product_id LIMIT ?", [limit]
        ).fetchall()
    return [str(row[0]) for row in rows]


def fingerprints(path: Path) -> dict[str, str]:
    """Return an order-independent checksum of every state table of the store.

    History tables are left out and volatile columns dropped, so an interrupted and
    repeated command compares equal to an uninterrupted one exactly when the
    purchases, entities and outputs are the same.
    """
    result = {}
    with Store.open(path, write=False) as store:
        con = store.con
        tables = [
            str(row[0])
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = 'lake' AND table_type = 'BASE TABLE' "
                "ORDER BY table_name"
            ).fetchall()
        ]
        for table in tables:
            if table in HISTORY_TABLES:
                continue
            columns = [
                _comparable(str(row[0]), str(row[1]))
                for row in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_catalog = 'lake' AND table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if row[0] not in VOLATILE_COLUMNS
            ]
            selected = ", ".join(columns)
            distinct = "DISTINCT " if table in APPENDED_TABLES else ""
            # Table and column names come from the catalog, never from input.
            row = con.execute(
                f"SELECT count(*), bit_xor(hash(t)) FROM "
                f"(SELECT {distinct}{selected} FROM lake.{table}) AS t"
            ).fetchone()
            assert row is not None
            result[table] = f"{row[0]} rows, hash {row[1]}"
    return result


def _comparable(column: str, data_type: str) -> str:
    # DuckDB's parallel aggregates add doubles in a varying order, so two runs on the
    # same data can differ in the last bits of a fitted or correlated value.
    if data_type in ("DOUBLE", "FLOAT"):
        return f'round("{column}", {DOUBLE_DECIMALS}) AS "{column}"'
    return f'"{column}"'


def consistency_problems(path: Path) -> list[str]:
    """Return what is inconsistent in a store: orphan lines, unmatched totals."""
    problems = []
    with Store.open(path, write=False) as store:
        con = store.con
        orphans = con.execute(
            "SELECT count(*) FROM purchase_lines AS l "
            "ANTI JOIN purchases AS p USING (internal_id)"
        ).fetchone()
        assert orphans is not None
        if orphans[0]:
            problems.append(f"{orphans[0]} purchase lines of no live purchase")
        empty = con.execute(
            "SELECT count(*) FROM purchases AS p "
            "ANTI JOIN purchase_lines AS l USING (internal_id)"
        ).fetchone()
        assert empty is not None
        if empty[0]:
            problems.append(f"{empty[0]} live purchases without lines")
        repeated = con.execute(
            "SELECT count(*) FROM (SELECT purchase_id FROM purchases "
            "GROUP BY purchase_id HAVING count(*) > 1)"
        ).fetchone()
        assert repeated is not None
        if repeated[0]:
            problems.append(f"{repeated[0]} purchase ids live twice")
    return problems


def holder(path: Path) -> dict[str, object] | None:
    """Return the lock holder record of a store, or None when there is none."""
    holder_file = path / ".storepipe.lock.json"
    if not holder_file.exists():
        return None
    loaded: dict[str, object] = json.loads(holder_file.read_text())
    return loaded
