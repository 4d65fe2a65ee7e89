"""Reader for entity files: contacts, products, carts, related products, activity.

Column names are the lake table's columns, in snake_case or camelCase (contact_id
or contactId). Lists, such as a product's categories, are '|'-separated in CSV
and JSON arrays in JSON Lines. A missing or empty non_merchandise means false.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb

from pipeline.errors import BadInputError
from pipeline.ingest.fields import (
    check_amounts,
    check_instants,
    first_bad_row,
)
from pipeline.ingest.tabular import load_text_table

log = logging.getLogger(__name__)

# --kind value -> lake table.
ENTITY_KINDS = {
    "contacts": "contacts",
    "products": "products",
    "carts": "carts",
    "related-products": "related_products",
    "workflow-activity": "workflow_activity",
}
RAW_TABLE = "raw_entities"


def snake_case(name: str) -> str:
    """Return `name` in snake_case: contactId -> contact_id."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name.strip()).lower()


def stage_entity_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_format: str,
    kind: str,
    amount_scale: int,
) -> int:
    """Stage the rows of an entity file into `stage_<table>`; return the row count."""
    table = ENTITY_KINDS[kind]
    columns = load_text_table(con, path, file_format, RAW_TABLE)
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = 'lake' AND table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
    )

    # Match the file's columns to the table's; unknown ones are an error.
    by_field: dict[str, str] = {}
    for column in columns:
        if column == "line":
            continue
        field = snake_case(column)
        if field not in types:
            raise BadInputError(
                f"{path}: unknown column {column!r} for {kind}; use {', '.join(types)}"
            )
        by_field[field] = column

    # Check the values of each typed column, then build the cast of each field.
    selects = []
    for field, data_type in types.items():
        source_column = by_field.get(field)
        if source_column is None:
            default = "false" if field == "non_merchandise" else "NULL"
            selects.append(f"{default}::{data_type} AS {field}")
            continue
        quoted = '"' + source_column.replace('"', '""') + '"'
        _check_column(con, quoted, field, data_type, path, amount_scale)
        cast = _cast(quoted, data_type)
        if field == "non_merchandise":
            cast = f"coalesce({cast}, false)"
        selects.append(f"{cast} AS {field}")
    con.execute(
        f"INSERT INTO stage_{table} BY NAME "
        f"SELECT {', '.join(selects)}, ? AS source_file, line AS source_line "
        f"FROM {RAW_TABLE}",
        [str(path)],
    )
    row = con.execute(f"SELECT count(*) FROM {RAW_TABLE}").fetchone()
    count = int(row[0]) if row else 0
    log.info("read %d %s from %s", count, kind, path)
    return count


def _cast(quoted: str, data_type: str) -> str:
    text = f"nullif(trim({quoted}), '')"
    if data_type == "VARCHAR[]":
        return f"CASE WHEN {text} IS NULL THEN NULL ELSE string_split({text}, '|') END"
    if data_type == "VARCHAR":
        return text
    return f"{text}::{data_type}"


def _check_column(
    con: duckdb.DuckDBPyConnection,
    quoted: str,
    field: str,
    data_type: str,
    path: Path,
    amount_scale: int,
) -> None:
    """Raise BadInputError naming the line of the first value that cannot be cast."""
    value = f"nullif(trim({quoted}), '')"
    if data_type.startswith("DECIMAL"):
        check_amounts(con, RAW_TABLE, {value: field}, path, amount_scale)
    elif data_type == "TIMESTAMP WITH TIME ZONE":
        check_instants(con, RAW_TABLE, value, field, path)
    elif data_type in ("BOOLEAN", "DOUBLE", "BIGINT", "INTEGER"):
        bad = first_bad_row(
            con, RAW_TABLE, value, f"TRY_CAST({value} AS {data_type}) IS NULL"
        )
        if bad:
            raise BadInputError(
                f"{path} line {bad[0]}: invalid {field} {bad[1]!r}; "
                f"give a {data_type.lower()} value"
            )
