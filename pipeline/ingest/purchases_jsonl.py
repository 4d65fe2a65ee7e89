"""Reader for JSON Lines purchases in the platform's shape, one purchase per line.

Fields: purchaseId, contactId or contactEmail, purchaseDate (ISO 8601 with a UTC
offset), totalPrice, totalQuantity, paymentMethod, cartId, optional workflowId, and
products[] with productId, name, brand, categories, quantity, unitPrice and price.
Numbers are kept as their JSON text, so amounts never pass through a float.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.errors import BadInputError
from pipeline.ingest.fields import (
    check_amounts,
    check_instants,
    check_integers,
    check_required,
)
from pipeline.ingest.tabular import read_text_lines
from pipeline.sqlfiles import load_sql
from pipeline.store import schema_statement

log = logging.getLogger(__name__)

PURCHASE_FIELDS = (
    "purchaseId",
    "contactId",
    "contactEmail",
    "purchaseDate",
    "totalPrice",
    "totalQuantity",
    "paymentMethod",
    "cartId",
    "workflowId",
)
LINE_FIELDS = ("productId", "name", "brand", "quantity", "unitPrice", "price")


def stage_purchases_jsonl(
    con: duckdb.DuckDBPyConnection, path: Path, amount_scale: int
) -> int:
    """Stage the purchases of a JSON Lines file and return how many were read."""
    purchases, lines = _parse(path)
    con.register("jsonl_purchases_arrow", purchases)
    con.register("jsonl_lines_arrow", lines)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw_purchases AS "
            "SELECT * FROM jsonl_purchases_arrow"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw_lines AS SELECT * FROM jsonl_lines_arrow"
        )
    finally:
        con.unregister("jsonl_purchases_arrow")
        con.unregister("jsonl_lines_arrow")
    stage_raw_purchases(con, path, amount_scale, "jsonl")
    log.info("read %d purchases from %s", purchases.num_rows, path)
    return purchases.num_rows


def stage_raw_purchases(
    con: duckdb.DuckDBPyConnection, path: Path, amount_scale: int, source: str
) -> None:
    """Check the text tables `raw_purchases` and `raw_lines` and stage their rows.

    Their columns are the JSON field names (purchaseId, products[] fields and
    lineNumber) as text, with `line` the line of the file that each row came from.
    """
    check_required(
        con,
        "raw_purchases",
        {
            "purchaseId": "purchaseId",
            "purchaseDate": "purchaseDate",
            "totalPrice": "totalPrice",
            "totalQuantity": "totalQuantity",
        },
        path,
    )
    check_instants(con, "raw_purchases", "purchaseDate", "purchaseDate", path)
    check_integers(con, "raw_purchases", {"totalQuantity": "totalQuantity"}, path)
    check_amounts(
        con, "raw_purchases", {"totalPrice": "totalPrice"}, path, amount_scale
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

    con.execute(load_sql("ingest/stage_raw_purchases"), [source, str(path)])
    con.execute(schema_statement("ingest/stage_raw_lines", amount_scale), [str(path)])


def _parse(path: Path) -> tuple[pa.Table, pa.Table]:
    """Read the file into a purchases table and a lines table of text columns."""
    purchases: dict[str, list[Any]] = {
        name: [] for name in ("line", "purchaseId", *PURCHASE_FIELDS[1:])
    }
    lines: dict[str, list[Any]] = {
        name: [] for name in ("line", "purchaseId", "lineNumber", *LINE_FIELDS)
    }
    lines["categories"] = []
    for number, text in read_text_lines(path):
        if not text.strip():
            continue
        record = _load_object(text, path, number)
        purchases["line"].append(number)
        for name in PURCHASE_FIELDS:
            purchases[name].append(_text(record.get(name), path, number, name))
        products = record.get("products") or []
        if not isinstance(products, list):
            raise BadInputError(
                f"{path} line {number}: products must be a list of objects"
            )
        for index, product in enumerate(products, start=1):
            if not isinstance(product, dict):
                raise BadInputError(
                    f"{path} line {number}: products[{index - 1}] is not an object"
                )
            lines["line"].append(number)
            lines["purchaseId"].append(purchases["purchaseId"][-1])
            lines["lineNumber"].append(index)
            for name in LINE_FIELDS:
                lines[name].append(_text(product.get(name), path, number, name))
            lines["categories"].append(
                _categories(product.get("categories"), path, number)
            )
    purchase_table = pa.table(
        {
            name: pa.array(values, pa.int64() if name == "line" else pa.string())
            for name, values in purchases.items()
        }
    )
    line_types = {"line": pa.int64(), "lineNumber": pa.int32()}
    line_table = pa.table(
        {
            name: pa.array(
                values,
                pa.list_(pa.string())
                if name == "categories"
                else line_types.get(name, pa.string()),
            )
            for name, values in lines.items()
        }
    )
    return purchase_table, line_table


def _load_object(text: str, path: Path, number: int) -> dict[str, Any]:
    try:
        # Number hooks keep the literal text, so 12.10 stays "12.10".
        record = json.loads(text, parse_float=str, parse_int=str)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{path} line {number}: invalid JSON ({exc.msg} at column {exc.colno}); "
            "write one JSON object per line"
        ) from None
    if not isinstance(record, dict):
        raise BadInputError(
            f"{path} line {number}: expected a JSON object, found {text.strip()[:40]!r}"
        )
    return record


def _text(value: Any, path: Path, number: int, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    raise BadInputError(
        f"{path} line {number}: {name} must be a string or a number, "
        f"found {json.dumps(value)[:40]}"
    )


def _categories(value: Any, path: Path, number: int) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise BadInputError(
        f"{path} line {number}: categories must be a list of strings such as "
        f'["Pc/Keyboards"], found {json.dumps(value)[:40]}'
    )
