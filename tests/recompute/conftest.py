"""A small hand-written store for recompute tests: rows go in by SQL, outputs out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pipeline.recompute.run import recompute_store
from pipeline.runs import recorded_run
from pipeline.settings import SETTINGS_FILE
from pipeline.store import Store
from pipeline.timeparse import parse_as_of
from tests.rows import LINES_FROM_NEW_LINES

# (internal_id, contact_id, purchased_at, total_price, total_quantity)
PurchaseRow = tuple[int, str | None, str, str, int]
# (internal_id, line_number, product_id, quantity, price)
LineRow = tuple[int, int, str, int, str]


@dataclass
class Shop:
    """A store in tmp_path with helpers that write its lake tables directly."""

    path: Path
    time_zone: str

    def execute(self, sql: str, rows: Iterable[Iterable[Any]] = ((),)) -> None:
        """Run one statement per parameter row in a single lake commit."""
        with Store.open(self.path, command="test") as store, store.transaction():
            for row in rows:
                store.con.execute(sql, list(row))

    def add_contacts(self, *contact_ids: str) -> None:
        self.execute(
            "INSERT INTO contacts (contact_id) VALUES (?)", [[c] for c in contact_ids]
        )

    def add_products(self, rows: Iterable[tuple[str, list[str], bool]]) -> None:
        """Insert (product_id, categories, non_merchandise) rows."""
        self.execute(
            "INSERT INTO products (product_id, categories, non_merchandise) "
            "VALUES (?, ?, ?)",
            rows,
        )

    def add_purchases(
        self, rows: Iterable[PurchaseRow], workflow_id: str | None = None
    ) -> None:
        """Insert purchases; purchase_id is `p<internal_id>`."""
        self.execute(
            "INSERT INTO purchases (internal_id, purchase_id, contact_id, "
            "purchased_at, total_price, total_quantity, source, "
            "attributed_workflow_id, content_hash, imported_at) "
            "VALUES ($1, 'p' || $1, $2, $3, $4, $5, 'test', $6, 'hash', "
            "TIMESTAMPTZ '2024-01-01 00:00:00+00')",
            [(*row, workflow_id) for row in rows],
        )

    def add_lines(self, rows: Iterable[LineRow]) -> None:
        """Insert lines; unit_price is price / quantity (price when quantity is 0)."""
        with Store.open(self.path, command="test") as store, store.transaction():
            con = store.con
            con.execute(
                "CREATE TEMP TABLE new_lines AS SELECT * EXCLUDE "
                "(purchased_at, repeats_product) FROM lake.purchase_lines LIMIT 0"
            )
            for row in rows:
                con.execute(
                    "INSERT INTO new_lines VALUES ($1, $2, $3, $4, "
                    "CASE WHEN $4 = 0 THEN $5::DECIMAL(18, 2) "
                    "ELSE $5::DECIMAL(18, 2) / $4 END, $5)",
                    list(row),
                )
            con.execute(LINES_FROM_NEW_LINES)

    def delete_purchases(self, *internal_ids: int) -> None:
        """Remove purchases and their lines, as a committed deletion does."""
        ids = list(internal_ids)
        with Store.open(self.path, command="test") as store, store.transaction():
            store.con.execute(
                "DELETE FROM purchase_lines WHERE internal_id IN "
                "(SELECT unnest(?::BIGINT[]))",
                [ids],
            )
            store.con.execute(
                "DELETE FROM purchases WHERE internal_id IN "
                "(SELECT unnest(?::BIGINT[]))",
                [ids],
            )

    def configure(self, toml_text: str) -> None:
        """Replace the settings file; the store's time zone is kept."""
        text = f'[store]\ntime_zone = "{self.time_zone}"\n' + toml_text
        (self.path / SETTINGS_FILE).write_text(text, encoding="utf-8")

    def recompute(self, as_of: str) -> None:
        """Recompute and publish every output at `as_of` (ISO 8601 or a date)."""
        instant = parse_as_of(as_of, self.time_zone)
        with Store.open(self.path, command="recompute") as store:
            with recorded_run(self.path, "recompute", instant) as record:
                recompute_store(store, instant, record)

    def rows(self, sql: str, parameters: list[Any] | None = None) -> list[Any]:
        """Return the rows of a query on the store, opened read-only."""
        with Store.open(self.path, write=False) as store:
            return store.con.execute(sql, parameters).fetchall()

    def snapshot_id(self) -> int:
        with Store.open(self.path, write=False) as store:
            return store.snapshot_id()


@pytest.fixture
def new_shop(tmp_path: Path) -> Callable[..., Shop]:
    """Return a factory of empty stores with default settings in a time zone."""
    created: list[Shop] = []

    def create(time_zone: str = "UTC") -> Shop:
        path = tmp_path / f"store{len(created)}"
        Store.create(path, time_zone=time_zone)
        created.append(Shop(path, time_zone))
        return created[-1]

    return create
