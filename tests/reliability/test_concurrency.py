"""One writer, many readers: queries during a nightly run see the old or new outputs.

A nightly run imports, deletes and recomputes in one process while two readers query
`contact_metrics` in a loop: `storepipe query` in subprocesses, and a plain DuckDB
session that attaches the published catalog copy as the README shows. No query may
fail, and each must return the checksum of the outputs before or after the run.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from pipeline.store import Store, load_extension
from tests.reliability.helpers import (
    AS_OF,
    STOREPIPE,
    generate,
    purchase_ids,
    run_cli,
)

CHECKSUM_SQL = (
    "SELECT count(*) AS contacts, bit_xor(hash(contact_id, total_purchases, "
    "total_purchases_amount, first_purchase_at, last_purchase_at)) AS checksum "
    "FROM contact_metrics"
)
# Queries each reader runs after the writer finished, to see the new state.
QUERIES_AFTER_WRITER = 2


@dataclass
class ReaderLog:
    """Checksums one reader saw, and the errors of queries that failed."""

    checksums: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def cli_checksum(store: Path) -> str:
    """Return the contact_metrics checksum through `storepipe query`."""
    result = run_cli("query", "--format", "csv", CHECKSUM_SQL, store=store)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return result.stdout.strip().splitlines()[-1]


def duckdb_checksum(store: Path) -> str:
    """Return the checksum from a new DuckDB session on the published catalog."""
    con = duckdb.connect()
    try:
        load_extension(con, "ducklake")
        catalog = store / "published" / "catalog.ducklake"
        con.execute(f"ATTACH 'ducklake:{catalog}' AS store (READ_ONLY)")
        con.execute("USE store")
        row = con.execute(CHECKSUM_SQL).fetchone()
    finally:
        con.close()
    assert row is not None
    return f"{row[0]},{row[1]}"


def read_in_loop(
    read: Callable[[Path], str],
    store: Path,
    writer_done: threading.Event,
    log: ReaderLog,
) -> None:
    """Query until the writer is done, then a few more times."""
    remaining_after = QUERIES_AFTER_WRITER
    while remaining_after > 0:
        if writer_done.is_set():
            remaining_after -= 1
        try:
            log.checksums.append(read(store))
        except Exception as exc:  # noqa: BLE001 - every failure is a test failure
            log.errors.append(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_readers_see_old_or_new_outputs(tmp_path: Path) -> None:
    store = tmp_path / "store"
    generate(store, contacts=400, purchases=1500)
    result = run_cli("recompute", "--as-of", "2025-12-01", store=store)
    assert result.returncode == 0, result.stderr
    old = cli_checksum(store)
    (store / "inbox" / "deletions" / "batch.txt").write_text(
        "\n".join(purchase_ids(store, 40)) + "\n"
    )

    logs = {"storepipe query": ReaderLog(), "duckdb": ReaderLog()}
    writer_done = threading.Event()
    readers = [
        threading.Thread(
            target=read_in_loop,
            args=(read, store, writer_done, logs[name]),
        )
        for name, read in (
            ("storepipe query", cli_checksum),
            ("duckdb", duckdb_checksum),
        )
    ]
    for reader in readers:
        reader.start()
    started = time.perf_counter()
    writer = subprocess.run(
        [str(STOREPIPE), "nightly", "--as-of", AS_OF, "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
    )
    writer_seconds = time.perf_counter() - started
    writer_done.set()
    for reader in readers:
        reader.join(timeout=300)
    assert writer.returncode == 0, writer.stderr

    new = cli_checksum(store)
    assert new != old
    with Store.open(store, write=False) as opened:
        assert opened.con.execute("SELECT count(*) FROM runs").fetchone() == (2,)
    served = {name: len(log.checksums) for name, log in logs.items()}
    print(f"queries served during a {writer_seconds:.1f}s nightly run: {served}")
    for name, log in logs.items():
        assert log.errors == [], name
        assert set(log.checksums) <= {old, new}, name
        # Each query attaches the catalog anew, so once a reader has read the new
        # outputs it never reads the old ones again.
        first_new = log.checksums.index(new)
        assert set(log.checksums[:first_new]) <= {old}, name
        assert set(log.checksums[first_new:]) == {new}, name
