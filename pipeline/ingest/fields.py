"""Checks of raw text fields before readers cast them, with file and line in errors.

Readers load a file into a temp relation of text columns with a `line` column (the
line number in the file), then call these checks. Each raises BadInputError for
the first offending row, naming the file, line, field and value and the fix.
Column names passed here come from the readers' code, never from input files.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from pipeline.errors import BadInputError

# A plain decimal: optional sign, digits, optional fraction. Exponents are invalid
# because amounts must keep their exact decimal text.
DECIMAL_PATTERN = r"^[+-]?[0-9]+(\.[0-9]+)?$"
INTEGER_PATTERN = r"^[+-]?[0-9]+$"
# An ISO 8601 time that ends in Z or in a UTC offset such as +02:00 or -0500.
OFFSET_PATTERN = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$"


def first_bad_row(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    column: str,
    condition: str,
    parameters: list[object] | None = None,
) -> tuple[int, str] | None:
    """Return the line and value of the first row of `relation` matching `condition`."""
    row = con.execute(
        f"SELECT line, {column}::VARCHAR FROM {relation} "
        f"WHERE {column} IS NOT NULL AND ({condition}) ORDER BY line LIMIT 1",
        parameters or [],
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def check_amounts(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    columns: dict[str, str],
    path: Path,
    amount_scale: int,
) -> None:
    """Reject amounts that are not plain decimals or have more decimals than the store.

    `columns` maps a column of `relation` to the field name shown in errors.
    Trailing zeros do not count as decimals, so 2.550 fits a scale of 2.
    """
    # One pattern accepts exactly the valid values, so the common case scans once.
    fitting = rf"^[+-]?[0-9]+(\.[0-9]{{0,{amount_scale}}}0*)?$"
    for column, field in columns.items():
        bad = first_bad_row(
            con,
            relation,
            column,
            f"NOT regexp_full_match(trim({column}), ?)",
            [fitting],
        )
        if bad is None:
            continue
        line, value = bad
        if not re.fullmatch(DECIMAL_PATTERN, value.strip()):
            raise BadInputError(
                f"{path} line {line}: invalid {field} {value!r}; "
                "write amounts as plain decimals such as 12.50"
            )
        needed = len(value.strip().split(".")[1].rstrip("0"))
        raise BadInputError(
            f"{path} line {line}: {field} {value} has {needed} decimals but "
            f"the store keeps {amount_scale}; import into a new store created "
            f"with `storepipe init --amount-scale {needed}`"
        )


def check_integers(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    columns: dict[str, str],
    path: Path,
) -> None:
    """Reject values that are not whole numbers; `columns` maps columns to fields."""
    for column, field in columns.items():
        bad = first_bad_row(
            con,
            relation,
            column,
            f"NOT regexp_full_match(trim({column}), ?) "
            f"OR TRY_CAST(trim({column}) AS BIGINT) IS NULL",
            [INTEGER_PATTERN],
        )
        if bad:
            raise BadInputError(
                f"{path} line {bad[0]}: invalid {field} {bad[1]!r}; give a whole number"
            )


def check_instants(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, field: str, path: Path
) -> None:
    """Reject times without a UTC offset and times that do not parse as ISO 8601."""
    bad = first_bad_row(
        con,
        relation,
        column,
        f"NOT regexp_matches(trim({column}), ?)",
        [OFFSET_PATTERN],
    )
    if bad:
        raise BadInputError(
            f"{path} line {bad[0]}: {field} {bad[1]!r} has no UTC offset; "
            "add one, for example 2024-03-01T10:15:00+01:00 or a final Z for UTC"
        )
    bad = first_bad_row(
        con, relation, column, f"TRY_CAST(trim({column}) AS TIMESTAMPTZ) IS NULL"
    )
    if bad:
        raise BadInputError(
            f"{path} line {bad[0]}: invalid {field} {bad[1]!r}; "
            "give an ISO 8601 time such as 2024-03-01T10:15:00+01:00"
        )


def check_required(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    columns: dict[str, str],
    path: Path,
) -> None:
    """Reject rows where a required column is null or empty."""
    for column, field in columns.items():
        row = con.execute(
            f"SELECT line FROM {relation} "
            f"WHERE {column} IS NULL OR trim({column}::VARCHAR) = '' "
            "ORDER BY line LIMIT 1"
        ).fetchone()
        if row:
            raise BadInputError(
                f"{path} line {row[0]}: missing {field}; every row needs one"
            )
