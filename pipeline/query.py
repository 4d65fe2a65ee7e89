"""Read-only SQL for analysts, on the published catalog or a past snapshot.

Queries run on the copy of the catalog in `published/`, attached read-only, so they
never wait on a writer and always see a committed state. A PostgreSQL catalog has no
copy: queries attach it read-only directly, and PostgreSQL's MVCC gives each one a
committed state without blocking the writer. After attaching, the
connection disables file system access outside the store's data folder and locks its
configuration, so a query cannot write, attach, change settings or read other files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from pipeline.catalogs import is_postgres
from pipeline.errors import BadInputError, UsageError
from pipeline.settings import load_settings
from pipeline.store import (
    LAKE,
    PUBLISHED_CATALOG,
    attach_lake,
    catalog_location,
    connect,
)


def query_store(
    store_path: Path,
    sql: str,
    *,
    at_snapshot: int | None = None,
    before_batch: str | None = None,
    allow_local_files: bool = False,
) -> pl.DataFrame:
    """Run one read-only query on the store and return its result."""
    store_path = store_path.resolve()
    if store_path.exists() and not store_path.is_dir():
        raise UsageError(
            f"{store_path} is a file, not a store folder; pass another --store"
        )
    settings = load_settings(store_path)
    catalog = store_path / PUBLISHED_CATALOG
    direct = is_postgres(catalog_location(store_path))
    if not direct and not catalog.exists():
        raise UsageError(
            f"store {store_path} has no published catalog yet; run a writing "
            "command such as `storepipe recompute` first"
        )
    con = connect(settings)
    try:
        snapshot = at_snapshot
        if before_batch is not None:
            _attach(con, store_path, catalog, None, direct)
            snapshot = _snapshot_before_batch(con, before_batch)
            con.execute("USE memory")
            con.execute(f"DETACH {LAKE}")
        _attach(con, store_path, catalog, snapshot, direct)
        _lock_down(con, store_path, allow_local_files)
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise BadInputError(f"invalid query: {_first_line(exc)}") from None
        if len(statements) != 1:
            raise BadInputError(
                f"invalid query: {len(statements)} statements; give exactly one"
            )
        try:
            return con.execute(sql).pl()
        except duckdb.PermissionException as exc:
            raise BadInputError(
                f"query rejected: {_first_line(exc)}; queries are read-only and may "
                "read only the store (pass --allow-local-files to read local files)"
            ) from None
        except duckdb.Error as exc:
            raise BadInputError(f"query failed: {_first_line(exc)}") from None
    finally:
        con.close()


def _attach(
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    catalog: Path,
    snapshot: int | None,
    direct: bool,
) -> None:
    if direct:
        attach_lake(con, store_path, read_only=True, snapshot=snapshot)
        return
    # The copy names the data folder by the absolute path it had when the store was
    # created, so a moved or copied store would read another store's files.
    data_path = str(store_path / "data").replace("'", "''")
    options = ["READ_ONLY", f"DATA_PATH '{data_path}/'", "OVERRIDE_DATA_PATH true"]
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    try:
        con.execute(
            f"ATTACH 'ducklake:{str(catalog).replace(chr(39), chr(39) * 2)}' "
            f"AS {LAKE} ({', '.join(options)})"
        )
    except duckdb.Error as exc:
        if snapshot is not None:
            raise UsageError(
                f"snapshot {snapshot} is not available: {_first_line(exc)}; list "
                'snapshots with `storepipe query "FROM lake.snapshots()"`'
            ) from None
        raise
    con.execute(f"USE {LAKE}")


def _snapshot_before_batch(con: duckdb.DuckDBPyConnection, batch_id: str) -> int:
    row = con.execute(
        "SELECT snapshot_before FROM deletion_batches WHERE batch_id = ?", [batch_id]
    ).fetchone()
    if row is None:
        raise UsageError(
            f"deletion batch {batch_id!r} not found; list batches with "
            '`storepipe query "FROM deletion_batches"`'
        )
    return int(row[0])


def _lock_down(
    con: duckdb.DuckDBPyConnection, store_path: Path, allow_local_files: bool
) -> None:
    if not allow_local_files:
        con.execute("SET allowed_directories = ?", [[f"{store_path / 'data'}/"]])
        con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
