"""Reader for flat line files: one row per purchase line, purchase fields repeated.

Columns are matched to the JSON Lines field names (purchaseId, purchaseDate,
productId, quantity, unitPrice and the rest) by name, or by a mapping given as
`--map COLUMN=FIELD`. Rows of one purchase must repeat the same purchase fields. A
missing totalPrice or totalQuantity is the sum over the purchase's lines, and a
missing lineNumber numbers the lines in file order.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.errors import UsageError
from pipeline.ingest.fields import check_amounts, check_integers, check_required
from pipeline.ingest.purchases_jsonl import (
    LINE_FIELDS,
    PURCHASE_FIELDS,
    stage_raw_purchases,
)
from pipeline.ingest.tabular import load_text_table

log = logging.getLogger(__name__)

FIELDS = (*PURCHASE_FIELDS, *LINE_FIELDS, "categories", "lineNumber")
REQUIRED_FIELDS = ("purchaseId", "purchaseDate", "productId", "quantity", "unitPrice")
RAW_TABLE = "raw_flat"


def stage_flat_lines(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_format: str,
    mapping: dict[str, str],
    amount_scale: int,
) -> int:
    """Stage the purchases of a flat line file and return how many rows were read."""
    columns = load_text_table(con, path, file_format, RAW_TABLE)
    sources = _resolve_columns(columns, mapping, path)

    def source(field: str) -> str:
        column = sources.get(field)
        if column is None:
            return "NULL::VARCHAR"
        return '"' + column.replace('"', '""') + '"'

    # Lines first: the purchase totals may be sums over them.
    line_number = (
        f"trim({source('lineNumber')})::INTEGER"
        if "lineNumber" in sources
        else f"row_number() OVER (PARTITION BY {source('purchaseId')} ORDER BY line)"
    )
    if "lineNumber" in sources:
        check_integers(con, RAW_TABLE, {source("lineNumber"): "lineNumber"}, path)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw_lines AS SELECT line, "
        f"{source('purchaseId')} AS purchaseId, {line_number} AS lineNumber, "
        + ", ".join(f"{source(name)} AS {name}" for name in LINE_FIELDS)
        + f", string_split(nullif(trim({source('categories')}), ''), '|') "
        f"AS categories FROM {RAW_TABLE}"
    )
    check_required(
        con,
        "raw_lines",
        {"productId": "productId", "quantity": "quantity", "unitPrice": "unitPrice"},
        path,
    )
    check_integers(con, "raw_lines", {"quantity": "quantity"}, path)
    check_amounts(
        con,
        "raw_lines",
        {"unitPrice": "unitPrice", "price": "price"},
        path,
        amount_scale,
    )

    # One purchase per distinct set of purchase fields; staging rejects conflicts.
    amount = f"DECIMAL(18, {amount_scale})"
    totals = (
        "SELECT trim(purchaseId) AS purchase_key, "
        f"sum(coalesce(trim(price)::{amount}, "
        f"trim(quantity)::BIGINT * trim(unitPrice)::{amount}))::VARCHAR "
        "AS line_price, sum(trim(quantity)::BIGINT)::VARCHAR AS line_quantity "
        "FROM raw_lines GROUP BY 1"
    )
    purchase_columns = ", ".join(
        f"{source(name)} AS {name}"
        for name in PURCHASE_FIELDS
        if name not in ("totalPrice", "totalQuantity")
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw_purchases AS "
        f"WITH given AS (SELECT line, {purchase_columns}, "
        f"{source('totalPrice')} AS given_price, "
        f"{source('totalQuantity')} AS given_quantity FROM {RAW_TABLE}), "
        "grouped AS (SELECT min(line) AS line, * EXCLUDE (line) "
        "FROM given GROUP BY ALL) "
        "SELECT g.* EXCLUDE (given_price, given_quantity), "
        "coalesce(g.given_price, t.line_price) AS totalPrice, "
        "coalesce(g.given_quantity, t.line_quantity) AS totalQuantity "
        f"FROM grouped AS g LEFT JOIN ({totals}) AS t "
        "ON t.purchase_key = trim(g.purchaseId)"
    )
    stage_raw_purchases(con, path, amount_scale, f"flat-{file_format}")
    row = con.execute(f"SELECT count(*) FROM {RAW_TABLE}").fetchone()
    count = int(row[0]) if row else 0
    log.info("read %d purchase lines from %s", count, path)
    return count


def _resolve_columns(
    columns: list[str], mapping: dict[str, str], path: Path
) -> dict[str, str]:
    """Return the file column that supplies each field, from names and `mapping`."""
    by_field: dict[str, str] = {}
    for column in columns:
        if column in FIELDS:
            by_field[column] = column
    for column, field in mapping.items():
        if field not in FIELDS:
            raise UsageError(
                f"invalid --map target {field!r}; use one of {', '.join(FIELDS)}"
            )
        if column not in columns:
            raise UsageError(
                f"--map names column {column!r}, which {path} lacks; "
                f"its columns are {', '.join(c for c in columns if c != 'line')}"
            )
        by_field[field] = column
    missing = [field for field in REQUIRED_FIELDS if field not in by_field]
    if missing:
        raise UsageError(
            f"{path} has no column for {', '.join(missing)}; "
            "map one with --map COLUMN=FIELD"
        )
    return by_field
