"""Loading a CSV, Parquet or JSON Lines file as a temp table of text columns.

Every column becomes VARCHAR, so readers check and cast values themselves and
numbers never pass through a float. `line` is the line of the row in the file: the
header of a CSV file is line 1, and a Parquet row's line is its row number.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

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
            _check_csv_layout(con, path, file_format)
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


def read_text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield each line of a UTF-8 text file with its 1-based number.

    A byte order mark at the start is dropped. Raises BadInputError naming the line
    and the byte when the file is not valid UTF-8.
    """
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadInputError(
                    f"{path} line {number}: invalid UTF-8 byte "
                    f"{raw[exc.start]:#04x} at column {exc.start + 1}; "
                    "save the file as UTF-8"
                ) from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield number, text


def _check_csv_layout(
    con: duckdb.DuckDBPyConnection, path: Path, file_format: str
) -> None:
    """Reject an empty CSV file, and one whose header and rows differ in field count.

    DuckDB's CSV sniffer skips leading lines whose field count differs from the rows
    after them, so a header shorter than its rows would be dropped and the columns
    named after the first row. The sniffer reads a sample of the file, and a ragged
    row after it fails the read itself with its line number.
    """
    try:
        with _open_csv(path, file_format) as handle:
            first_line = handle.readline()
    except (OSError, EOFError) as exc:
        raise BadInputError(
            f"cannot read {path} as {file_format}: {exc}; check the file"
        ) from None
    if not first_line.strip():
        raise BadInputError(
            f"{path} is empty or starts with a blank line; a CSV file starts with "
            "a header line that names its columns"
        )
    sniffed = con.execute(
        "SELECT SkipRows, Delimiter, len(Columns) FROM sniff_csv(?)", [str(path)]
    ).fetchone()
    if sniffed is None or sniffed[0] == 0:
        return
    skipped, delimiter, field_count = int(sniffed[0]), str(sniffed[1]), sniffed[2]
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    raise BadInputError(
        f"{path} line {skipped + 1}: {field_count} fields, but the header on line 1 "
        f"has {len(header)}; give every row one field per header column"
    )


def _open_csv(path: Path, file_format: str) -> IO[str]:
    if file_format == "csv.gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")
    return path.open(encoding="utf-8-sig", errors="replace")


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
    for number, text in read_text_lines(path):
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
