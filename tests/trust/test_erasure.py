"""Purge and verify-erasure: deleted purchases end up nowhere but the deletion log."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.erasure.purge import purge_store
from pipeline.erasure.verify import verify_erasure
from pipeline.nightly import run_nightly
from pipeline.store import Store
from pipeline.undo import undo_batch
from tests.rows import table_rows
from tests.trust.conftest import ERASED_PRODUCT, ERASED_PURCHASE
from tests.trust.helpers import delete, recompute

DISTINCTIVE = (ERASED_PURCHASE, f"hash-{ERASED_PURCHASE}", ERASED_PRODUCT)
DELETION_TABLES = ("deletion_log", "deletion_batches", "erasure_records")


def purge(store_path: Path, days: int = 0, now: dt.datetime | None = None):  # type: ignore[no-untyped-def]
    with Store.open(store_path, command="purge") as store:
        return purge_store(store, days, now=now)


def verify(store_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(store_path, command="verify-erasure") as store:
        return verify_erasure(store)


def add_processed_files(store_path: Path) -> tuple[Path, Path]:
    """Leave an imported purchases file and a run log that name the purchase."""
    inbox = store_path / "inbox" / "processed" / "run-1"
    inbox.mkdir(parents=True)
    purchases = inbox / "purchases.csv"
    purchases.write_text(f"purchase_id,contact_id\n{ERASED_PURCHASE},eve\np01,ann\n")
    run = store_path / "runs" / "run-1"
    run.mkdir(parents=True)
    log = run / "run.log"
    log.write_text(f"imported {ERASED_PURCHASE}\nimported p01\n")
    return purchases, log


def holders(store_path: Path) -> dict[str, str]:
    """Return each file that contains a distinctive value, and which values.

    Parquet files are read with pyarrow, so compression cannot hide a value, and
    DuckDB files are read as tables besides their raw bytes.
    """
    found = {}
    for path in sorted(p for p in store_path.rglob("*") if p.is_file()):
        name = str(path.relative_to(store_path))
        data = path.read_bytes()
        if path.suffix == ".parquet":
            text = str(pq.read_table(path).to_pylist())
        elif data[8:12] == b"DUCK":
            text = catalog_rows_outside_deletion_tables(path)
            raw = data.decode("latin-1")
            if any(value in raw for value in DISTINCTIVE) and not any(
                value in catalog_text(path) for value in DISTINCTIVE
            ):
                found[name] = "raw bytes only"
        else:
            text = data.decode("latin-1")
        hits = [value for value in DISTINCTIVE if value in text]
        if hits:
            found[name] = ", ".join(hits)
    return found


def catalog_text(path: Path) -> str:
    con = duckdb.connect()
    con.execute(f"ATTACH '{path}' AS c (READ_ONLY)")
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'c'"
    ).fetchall()
    return str([con.execute(f'FROM c."{t}"').fetchall() for (t,) in tables])


def catalog_rows_outside_deletion_tables(path: Path) -> str:
    """Return the catalog's rows as text, minus those describing deletion tables."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{path}' AS c (READ_ONLY)")
    deletion_ids = {
        row[0]
        for row in con.execute(
            "SELECT table_id FROM c.ducklake_table WHERE table_name IN ?",
            [DELETION_TABLES],
        ).fetchall()
    }
    texts = []
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'c'"
    ).fetchall():
        cursor = con.execute(f'FROM c."{table}"')
        columns = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            if "table_id" in columns and row[columns.index("table_id")] in deletion_ids:
                continue
            inlined = re.match(r"ducklake_inlined_data_(\d+)_", table)
            if inlined and int(inlined.group(1)) in deletion_ids:
                continue
            texts.append(str(row))
    return "\n".join(texts)


def test_verify_lists_files_before_purge(shop: Path) -> None:
    add_processed_files(shop)
    delete(shop, [ERASED_PURCHASE])

    result = verify(shop)

    assert not result.passed
    listed = {Path(f.path).relative_to(shop).parts[:3] for f in result.findings}
    assert ("data", "main", "purchases") in listed
    assert ("data", "main", "purchase_lines") in listed
    assert ("inbox", "processed", "run-1") in listed
    assert ("runs", "run-1", "run.log") in listed


def test_purge_leaves_values_only_in_log(shop: Path) -> None:
    purchases_file, log_file = add_processed_files(shop)
    recompute(shop)
    delete(shop, [ERASED_PURCHASE], reason="erasure")
    recompute(shop)
    assert any(
        "purchases" in name or "purchase_lines" in name for name in holders(shop)
    )

    result = purge(shop)
    verified = verify(shop)

    assert len(result.batch_ids) == 1
    assert verified.passed, verified.findings
    remaining = holders(shop)
    assert all(name.startswith("data/main/deletion_log/") for name in remaining), (
        remaining
    )
    assert purchases_file.read_text() == "purchase_id,contact_id\np01,ann\n"
    assert log_file.read_text() == "imported [erased]\nimported p01\n"
    log_rows = table_rows(shop, "SELECT purchase_id, contact_id FROM deletion_log")
    assert log_rows == [(ERASED_PURCHASE, None)]
    batch = table_rows(
        shop, "SELECT impact IS NULL, erased_at IS NOT NULL FROM deletion_batches"
    )
    assert batch == [(True, True)]
    record = table_rows(
        shop, "SELECT internal_ids, verified_at IS NOT NULL FROM erasure_records"
    )
    assert record == [([13], True)]


def test_purge_keeps_young_batch_restorable(shop: Path) -> None:
    delete(shop, [ERASED_PURCHASE])
    between = dt.datetime.now(dt.UTC)
    young = delete(shop, ["p05"]).batch_id

    result = purge(shop, now=between)

    assert len(result.batch_ids) == 1
    assert young not in result.batch_ids
    with Store.open(shop, command="undo") as store:
        restored = undo_batch(store, young)
    assert (restored.purchases, restored.lines) == (1, 1)
    assert table_rows(
        shop, "SELECT count(*) FROM purchases WHERE purchase_id = 'p05'"
    ) == [(1,)]
    assert verify(shop).passed


def test_verify_erasure_exit_code(shop: Path) -> None:
    delete(shop, [ERASED_PURCHASE])
    command = [sys.executable, "-c", "from pipeline.cli import main; main()"]

    before = subprocess.run(
        [*command, "verify-erasure", "--store", str(shop)],
        capture_output=True,
        text=True,
        check=False,
    )
    subprocess.run(
        [*command, "purge", "--store", str(shop), "--retention-days", "0"],
        capture_output=True,
        check=True,
    )
    after = subprocess.run(
        [*command, "verify-erasure", "--store", str(shop)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert before.returncode == 5
    assert "rows of deleted purchases" in before.stdout
    assert after.returncode == 0, after.stdout + after.stderr
    assert after.stdout == ""


def test_nightly_purges_due_batches(shop: Path) -> None:
    settings = shop / "storepipe.toml"
    settings.write_text(
        settings.read_text().replace("retention_days = 7", "retention_days = 0")
    )
    (shop / "inbox" / "deletions" / "batch.csv").write_text(f"{ERASED_PURCHASE}\n")

    run_nightly(shop, "2024-06-01")

    erased = table_rows(shop, "SELECT erased_at IS NOT NULL FROM deletion_batches")
    assert erased == [(True,)]
    assert verify(shop).passed
