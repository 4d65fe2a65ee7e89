"""The embedded DuckDB catalog file: rewriting it, and reading it as plain tables."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb

from pipeline.sqlfiles import load_sql
from pipeline.store import CATALOG_CONFIG, CATALOG_FILE, LAKE, Store, attach_lake

log = logging.getLogger(__name__)

SCAN_ALIAS = "catalog_scan"
COPY_ALIAS = "catalog_copy"
DUCKDB_MAGIC = b"DUCK"
# DuckLake type names of the columns whose table statistics purge recomputes.
_TYPES = {
    "int8": "TINYINT",
    "int16": "SMALLINT",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "float32": "FLOAT",
    "float64": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamptz": "TIMESTAMPTZ",
    "varchar": "VARCHAR",
}
_DECIMAL = re.compile(r"decimal\((\d+),\s*(\d+)\)")


def is_embedded(store: Store) -> bool:
    """Tell whether the store's catalog is its own DuckDB file."""
    return not (store.path / CATALOG_CONFIG).exists()


def is_duckdb_file(path: Path) -> bool:
    """Tell whether a file is a DuckDB database (magic bytes at offset 8)."""
    with open(path, "rb") as handle:
        head = handle.read(12)
    return head[8:12] == DUCKDB_MAGIC


@contextlib.contextmanager
def lake_detached(store: Store) -> Iterator[None]:
    """Detach the lake for the block, then attach it again for writing."""
    store.con.execute("USE memory")
    store.con.execute(f"DETACH {LAKE}")
    try:
        yield
    finally:
        attach_lake(store.con, store.path, read_only=False)


def rewrite_catalog(store: Store, tables: tuple[str, ...]) -> None:
    """Copy the embedded catalog into a fresh file and replace the old one with it.

    DuckDB reuses freed blocks of a database file without clearing them, so rows
    that the catalog deleted (file statistics, for example) may linger as bytes.
    A fresh copy holds only the live tables. The copy's table-level min and max of
    `tables` are recomputed from the live data files, because DuckLake only widens
    them and they would keep a deleted row's values.
    """
    source = store.path / CATALOG_FILE
    target = source.with_name(CATALOG_FILE + ".rewrite")
    target.unlink(missing_ok=True)
    with lake_detached(store):
        con = store.con
        # ATTACH takes paths as text; these are the store's own file names.
        con.execute(f"ATTACH '{_quote(source)}' AS {SCAN_ALIAS} (READ_ONLY)")
        con.execute(f"ATTACH '{_quote(target)}' AS {COPY_ALIAS}")
        try:
            con.execute(f"COPY FROM DATABASE {SCAN_ALIAS} TO {COPY_ALIAS}")
            _refresh_table_stats(con, tables)
        finally:
            con.execute(f"DETACH {SCAN_ALIAS}")
            con.execute(f"DETACH {COPY_ALIAS}")
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(target, source)
    log.info("rewrote the catalog file %s", source)


def _refresh_table_stats(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]
) -> None:
    columns = con.execute(
        load_sql("erasure/column_types"), {"tables": list(tables)}
    ).fetchall()
    for table_id, column_id, column_type in columns:
        value_type = duckdb_type(str(column_type))
        statement = load_sql("erasure/set_table_stats").replace(
            "{value_type}", value_type
        )
        con.execute(statement, {"table_id": table_id, "column_id": column_id})


def duckdb_type(ducklake_type: str) -> str:
    """Return the DuckDB type for a DuckLake column type name.

    Unknown names map to VARCHAR, which still picks a true extreme for text and a
    text-order extreme for anything else.
    """
    decimal = _DECIMAL.fullmatch(ducklake_type)
    if decimal:
        return f"DECIMAL({decimal.group(1)}, {decimal.group(2)})"
    return _TYPES.get(ducklake_type, "VARCHAR")


@contextlib.contextmanager
def attached_plain(con: duckdb.DuckDBPyConnection, path: Path) -> Iterator[str]:
    """Attach a DuckDB file read-only as plain tables; yield its alias."""
    con.execute(f"ATTACH '{_quote(path)}' AS {SCAN_ALIAS} (READ_ONLY)")
    try:
        yield SCAN_ALIAS
    finally:
        con.execute(f"DETACH {SCAN_ALIAS}")


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
