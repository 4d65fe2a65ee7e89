"""`storepipe verify-erasure`: prove that deleted purchases exist only in the log.

Every file under the store is scanned for the purchases that deletion batches
removed (and that were not undone or brought back):

- Parquet files with the columns of purchases or purchase_lines, wherever they
  are, must hold none of their internal ids. Other Parquet files of the lake
  (the deletion log, outputs) are not purchase rows. Parquet files outside the
  data folder, such as processed inbox files, must hold none of their store
  purchase ids in any column.
- DuckDB files (the catalog and its published copy) are read as plain tables, and
  only the deletion tables' own statistics may name a deleted purchase id. Their
  raw bytes must not hold an id that no table shows, which freed blocks can.
- Every other file (inbox files, run logs, manifests, settings) must not contain a
  deleted store purchase id as a whole id, after gunzipping `.gz` files.

A store purchase id that a later import made live again is only checked through
internal ids, because the live purchase rightly carries it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.erasure.catalog import attached_plain, is_duckdb_file, lake_detached
from pipeline.erasure.tokens import (
    found_tokens,
    parquet_columns,
    parquet_rows_with_tokens,
    read_text,
    sql_token_pattern,
    token_pattern,
)
from pipeline.sqlfiles import load_sql
from pipeline.store import Store

log = logging.getLogger(__name__)

DELETION_TABLES = ("deletion_log", "deletion_batches", "erasure_records")
PURCHASE_COLUMNS = {"internal_id", "purchase_id", "content_hash"}
LINE_COLUMNS = {"internal_id", "line_number", "product_id"}
_INLINED_TABLE = re.compile(r"ducklake_inlined_data_(\d+)_")


@dataclass(frozen=True)
class Finding:
    """A file that still contains a deleted purchase or line, and what it contains."""

    path: str
    detail: str


@dataclass
class VerifyResult:
    """The outcome of a scan: what was looked for, where, and what was found."""

    purchases_checked: int = 0
    files_scanned: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.findings


def verify_erasure(store: Store) -> VerifyResult:
    """Scan every file of the store; stamp erasure_records when nothing remains."""
    targets = store.con.execute(load_sql("erasure/targets")).fetchall()
    internal_ids = [int(row[0]) for row in targets]
    tokens = sorted({str(row[1]) for row in targets if not row[2]})
    result = VerifyResult(purchases_checked=len(internal_ids))
    pattern = token_pattern(tokens)

    # Scan with the lake detached, so the catalog file can be read as plain tables.
    with lake_detached(store):
        for path in sorted(p for p in store.path.rglob("*") if p.is_file()):
            result.files_scanned += 1
            detail = _scan_file(store, path, internal_ids, tokens, pattern)
            if detail:
                result.findings.append(Finding(str(path), detail))

    if result.passed:
        with store.transaction():
            store.con.execute(load_sql("erasure/mark_verified"))
    log.info(
        "verify-erasure: %d deleted purchases, %d files scanned, %d still hold them",
        result.purchases_checked,
        result.files_scanned,
        len(result.findings),
    )
    return result


def _scan_file(
    store: Store,
    path: Path,
    internal_ids: list[int],
    tokens: list[str],
    pattern: re.Pattern[str] | None,
) -> str | None:
    """Return what a file still contains of the deleted purchases, or None."""
    con = store.con
    if path.name.endswith(".parquet"):
        return _scan_parquet(store, path, internal_ids, tokens)
    if is_duckdb_file(path):
        return _scan_catalog(con, path, tokens, pattern) if pattern else None
    if pattern is None:
        return None
    found = found_tokens(read_text(path), pattern)
    if found:
        return f"{len(found)} deleted store purchase ids in the text"
    return None


def _scan_parquet(
    store: Store, path: Path, internal_ids: list[int], tokens: list[str]
) -> str | None:
    columns = set(parquet_columns(store.con, path))
    kind = None
    if PURCHASE_COLUMNS <= columns:
        kind = "purchases"
    elif LINE_COLUMNS <= columns:
        kind = "purchase lines"
    if kind is not None:
        row = store.con.execute(
            "SELECT count(*) FROM read_parquet(?) "
            "WHERE internal_id IN (SELECT unnest(?::BIGINT[]))",
            [str(path), internal_ids],
        ).fetchone()
        count = int(row[0]) if row else 0
        return f"{count} rows of deleted {kind}" if count else None
    if (store.path / "data") in path.parents:
        return None
    count = parquet_rows_with_tokens(store.con, path, tokens)
    return f"{count} rows naming deleted store purchase ids" if count else None


def _scan_catalog(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    tokens: list[str],
    pattern: re.Pattern[str],
) -> str | None:
    """Check a DuckDB file's tables and raw bytes for deleted purchase ids."""
    problems = []
    allowed: set[str] = set()
    with attached_plain(con, path) as alias:
        deletion_ids = _deletion_table_ids(con, alias)
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "WHERE database_name = ?",
            [alias],
        ).fetchall()
        sql_pattern = sql_token_pattern(tokens)
        for schema, table in tables:
            rows, columns = _matching_rows(con, alias, schema, table, sql_pattern)
            for row in rows:
                found = found_tokens(str(row), pattern)
                if _is_deletion_record(table, columns, row, deletion_ids):
                    allowed |= found
                elif found:
                    problems.append(f"table {table} names {len(found)} deleted ids")
    raw = found_tokens(path.read_bytes().decode("latin-1"), pattern)
    hidden = raw - allowed
    if hidden and not problems:
        problems.append(
            f"{len(hidden)} deleted store purchase ids in unused bytes of the file; "
            "`storepipe purge` rewrites the catalog"
        )
    return "; ".join(sorted(set(problems))) or None


def _deletion_table_ids(con: duckdb.DuckDBPyConnection, alias: str) -> set[int]:
    try:
        rows = con.execute(
            f"SELECT table_id FROM {alias}.main.ducklake_table "
            "WHERE table_name IN (SELECT unnest(?::VARCHAR[]))",
            [list(DELETION_TABLES)],
        ).fetchall()
    except duckdb.CatalogException:
        return set()
    return {int(row[0]) for row in rows}


def _matching_rows(
    con: duckdb.DuckDBPyConnection,
    alias: str,
    schema: str,
    table: str,
    sql_pattern: str,
) -> tuple[list[tuple[object, ...]], list[str]]:
    # Names come from duckdb_tables() of the scanned file; they are quoted.
    name = f'{alias}."{schema.replace(chr(34), "")}"."{table.replace(chr(34), "")}"'
    cursor = con.execute(
        f"SELECT * FROM {name} AS x WHERE regexp_matches(x::VARCHAR, ?)",
        [sql_pattern],
    )
    columns = [column[0] for column in cursor.description or []]
    return cursor.fetchall(), columns


def _is_deletion_record(
    table: str, columns: list[str], row: tuple[object, ...], deletion_ids: set[int]
) -> bool:
    """Tell whether a catalog row describes the deletion tables' own data."""
    inlined = _INLINED_TABLE.match(table)
    if inlined:
        return int(inlined.group(1)) in deletion_ids
    if "table_id" in columns:
        return row[columns.index("table_id")] in deletion_ids
    return False
