"""Writing small hand-made rows straight into a store's lake tables, for tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.store import Store

PURCHASE_COLUMNS = (
    "internal_id",
    "purchase_id",
    "contact_id",
    "purchased_at",
    "total_price",
    "total_quantity",
)


# Copies lines from the temp table `new_lines` into the lake, adding what the
# importer adds to each line: its purchase's time and whether an earlier line of the
# purchase contains the same product. The purchases must be in the lake already.
LINES_FROM_NEW_LINES = (
    "INSERT INTO lake.purchase_lines BY NAME "
    "SELECT l.*, p.purchased_at, row_number() OVER ("
    "PARTITION BY l.internal_id, l.product_id ORDER BY l.line_number) > 1 "
    "AS repeats_product "
    "FROM new_lines AS l JOIN lake.purchases AS p USING (internal_id)"
)


def insert_rows(store_path: Path, tables: dict[str, Iterable[dict[str, Any]]]) -> None:
    """Insert rows (dicts of column values) into lake tables in one commit.

    Lines take their purchase's time from `purchases`, so give the purchases first.
    """
    with Store.open(store_path, command="test") as store, store.transaction():
        con = store.con
        for table, rows in tables.items():
            target = f"lake.{table}"
            if table == "purchase_lines":
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE new_lines AS "
                    "SELECT * EXCLUDE (purchased_at, repeats_product) "
                    "FROM lake.purchase_lines LIMIT 0"
                )
                target = "new_lines"
            for row in rows:
                columns = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                con.execute(
                    f"INSERT INTO {target} ({columns}) VALUES ({marks})",
                    list(row.values()),
                )
            if table == "purchase_lines":
                con.execute(LINES_FROM_NEW_LINES)


def purchase(
    internal_id: int,
    purchase_id: str,
    contact_id: str | None,
    purchased_at: str,
    total_price: str,
    total_quantity: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    """Return a purchases row with the bookkeeping columns filled in."""
    return {
        "internal_id": internal_id,
        "purchase_id": purchase_id,
        "contact_id": contact_id,
        "purchased_at": purchased_at,
        "total_price": total_price,
        "total_quantity": total_quantity,
        "source": "test",
        "content_hash": f"hash-{purchase_id}",
        "imported_at": "2024-01-01 00:00:00+00",
        **extra,
    }


def line(
    internal_id: int, line_number: int, product_id: str, quantity: int, unit_price: str
) -> dict[str, Any]:
    """Return a purchase_lines row whose price is quantity x unit price."""
    from decimal import Decimal

    return {
        "internal_id": internal_id,
        "line_number": line_number,
        "product_id": product_id,
        "quantity": quantity,
        "unit_price": unit_price,
        "price": str(Decimal(unit_price) * quantity),
    }


def table_rows(store_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Return the rows of a query on the store, opened read-only."""
    with Store.open(store_path, write=False) as store:
        return store.con.execute(sql).fetchall()
