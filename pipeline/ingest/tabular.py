"""Loading a CSV, Parquet or JSON Lines file as a temp table of text columns.

Every column becomes VARCHAR, so readers check and cast values themselves and
numbers never pass through a float. `line` is the line of the row in the file: the
header of a CSV file is line 1, and a Parquet row's line is its row number.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.errors import BadInputError, UsageError


def load_text_table(
    con: duckdb.DuckDBPyConnection, path: Path, file_format: str, table: str
) -> list[str]:
    """Create temp table `table` from a file and return its column names in order.

    `table` comes from the caller's code, never from input.
    """
    try:
        if file_format in ("csv", "csv.gz"):
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS "
                "SELECT row_number() OVER () + 1 AS line, * "
                "FROM read_csv(?, header = true, all_varchar = true)",
                [str(path)],
            )
        elif file_format == "parquet":
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS "
                "SELECT file_row_number + 1 AS line, * EXCLUDE (file_row_number) "
                "FROM read_parquet(?, file_row_number = true)",
                [str(path)],
            )
            _cast_to_text(con, table)
        elif file_format == "jsonl":
            arrow = _jsonl_table(path)
            con.register("jsonl_arrow", arrow)
            try:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM jsonl_arrow"
                )
            finally:
                con.unregister("jsonl_arrow")
        else:
            raise UsageError(f"invalid format {file_format!r} for {path}")
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise BadInputError(
            f"cannot read {path} as {file_format}: {first_line}; check the file"
        ) from None
    return [
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_catalog = 'temp' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]


def _cast_to_text(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Turn every column but `line` into VARCHAR; lists become '|'-joined text."""
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'temp' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    expressions = []
    for name, data_type in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        if name == "line":
            expressions.append(quoted)
        elif data_type.endswith("[]"):
            expressions.append(f"array_to_string({quoted}, '|') AS {quoted}")
        else:
            expressions.append(f"{quoted}::VARCHAR AS {quoted}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        f"SELECT {', '.join(expressions)} FROM {table}"
    )


def _jsonl_table(path: Path) -> pa.Table:
    """Read flat JSON objects, one per line; lists of strings become '|'-joined."""
    rows: list[dict[str, Any]] = []
    names: dict[str, None] = {}
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text, parse_float=str, parse_int=str)
            except json.JSONDecodeError as exc:
                raise BadInputError(
                    f"{path} line {number}: invalid JSON ({exc.msg}); "
                    "write one JSON object per line"
                ) from None
            if not isinstance(record, dict):
                raise BadInputError(f"{path} line {number}: expected a JSON object")
            row: dict[str, Any] = {"line": number}
            for key, value in record.items():
                row[key] = _flat_text(value, path, number, key)
                names.setdefault(key, None)
            rows.append(row)
    columns: dict[str, pa.Array] = {
        "line": pa.array([row["line"] for row in rows], pa.int64())
    }
    for name in names:
        columns[name] = pa.array([row.get(name) for row in rows], pa.string())
    return pa.table(columns)


def _flat_text(value: Any, path: Path, number: int, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "|".join(value)
    raise BadInputError(
        f"{path} line {number}: {key} must be a string, a number or a list of "
        f"strings, found {json.dumps(value)[:40]}"
    )
