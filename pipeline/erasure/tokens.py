"""Store purchase ids as search tokens in files: matching and redaction."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

# Characters that may not touch a token, so `C581483` or `p10` never match `581483`
# or `p1`.
_ID_CHARACTER = r"A-Za-z0-9_\-"
REDACTED = "[erased]"


def token_pattern(tokens: Iterable[str]) -> re.Pattern[str] | None:
    """Return a regex matching any token as a whole id, or None without tokens."""
    ordered = sorted(set(tokens), key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(token) for token in ordered)
    return re.compile(f"(?<![{_ID_CHARACTER}])(?:{alternatives})(?![{_ID_CHARACTER}])")


def sql_token_pattern(tokens: Iterable[str]) -> str:
    """Return the same match as an RE2 pattern for DuckDB, which has no lookbehind."""
    alternatives = "|".join(re.escape(token) for token in sorted(set(tokens)))
    return f"(^|[^{_ID_CHARACTER}])({alternatives})([^{_ID_CHARACTER}]|$)"


def read_text(path: Path) -> str:
    """Read a file as text, gunzipping `.gz` files. Undecodable bytes become U+FFFD."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def write_text(path: Path, text: str) -> None:
    """Replace a file's text atomically, gzipping it again for `.gz` files."""
    data = text.encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def found_tokens(text: str, pattern: re.Pattern[str]) -> set[str]:
    """Return the distinct tokens that occur in a text."""
    return {match.group(0) for match in pattern.finditer(text)}


def drop_matching_lines(text: str, pattern: re.Pattern[str]) -> str:
    """Return the text without the lines that contain a token.

    CSV records that span lines are dropped whole. A header line names columns,
    not purchases, so it never matches and stays.
    """
    return "".join(record for record in _records(text) if not pattern.search(record))


def _records(text: str) -> list[str]:
    """Split text into lines, keeping a quoted CSV field's line breaks inside."""
    lines = text.splitlines(keepends=True)
    records: list[str] = []
    pending = ""
    for line in lines:
        pending += line
        if _balanced(pending):
            records.append(pending)
            pending = ""
    if pending:
        records.append(pending)
    return records


def _balanced(record: str) -> bool:
    return record.count('"') % 2 == 0


def parquet_rows_with_tokens(
    con: duckdb.DuckDBPyConnection, path: Path, tokens: list[str]
) -> int:
    """Count the rows of a Parquet file where any column equals a token."""
    columns = parquet_columns(con, path)
    if not columns or not tokens:
        return 0
    row = con.execute(
        f"SELECT count(*) FROM read_parquet($1) WHERE {_any_column_in(columns)}",
        [str(path), tokens],
    ).fetchone()
    return int(row[0]) if row else 0


def drop_parquet_rows_with_tokens(
    con: duckdb.DuckDBPyConnection, path: Path, tokens: list[str]
) -> None:
    """Rewrite a Parquet file without the rows where any column equals a token."""
    columns = parquet_columns(con, path)
    temporary = path.with_name(path.name + ".tmp")
    # COPY takes its target path as text: the path is quoted, never a user value.
    target = str(temporary).replace("'", "''")
    con.execute(
        f"COPY (SELECT * FROM read_parquet($1) WHERE NOT ({_any_column_in(columns)})) "
        f"TO '{target}' (FORMAT parquet)",
        [str(path), tokens],
    )
    temporary.replace(path)


def parquet_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """List a Parquet file's column names."""
    rows = con.execute(
        "SELECT name FROM parquet_schema(?) WHERE num_children IS NULL "
        "OR num_children = 0",
        [str(path)],
    ).fetchall()
    return [str(row[0]) for row in rows]


def _any_column_in(columns: list[str]) -> str:
    # Column names come from the file; they are quoted as identifiers.
    quoted = ", ".join(
        'CAST("' + column.replace('"', '""') + '" AS VARCHAR)' for column in columns
    )
    return f"list_has_any([{quoted}], $2::VARCHAR[])"
