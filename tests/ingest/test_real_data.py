"""The presets on the public Online Retail and CDNOW files.

Expected counts are computed from the raw files with polars, independently of the
importer's SQL. They follow the preset rules: an invoice is a purchase unless it
starts with C or A, and only its lines with Quantity above 0 are kept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipeline.errors import BadInputError
from pipeline.ingest.importer import ImportRequest, ImportSummary, import_files
from pipeline.runs import RunRecord
from pipeline.store import Store
from tests.conftest import shared_file

pytestmark = pytest.mark.realdata

SERVICE_CODES = {
    "POST",
    "DOT",
    "M",
    "m",
    "C2",
    "D",
    "S",
    "BANK CHARGES",
    "AMAZONFEE",
    "CRUK",
    "B",
    "gift_0001_10",
    "gift_0001_20",
    "gift_0001_30",
    "gift_0001_40",
    "gift_0001_50",
}


def run_import(path: Path, files: list[Path], preset: str) -> ImportSummary:
    with Store.open(path, command="import") as store:
        request = ImportRequest(files=files, preset=preset)
        return import_files(store, request, RunRecord("test", "import", "now"))


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with Store.open(path, write=False) as store:
        return store.con.execute(query).fetchall()


@pytest.fixture(scope="module")
def online_retail_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a store with the Online Retail Parquet file imported."""
    path = tmp_path_factory.mktemp("online_retail") / "store"
    Store.create(path, amount_scale=3)
    file = shared_file("online_retail/online_retail.parquet")
    run_import(path, [file], "online-retail")
    return path


@pytest.fixture(scope="module")
def raw_online_retail() -> pl.DataFrame:
    return pl.read_parquet(shared_file("online_retail/online_retail.parquet"))


def kept_lines(raw: pl.DataFrame) -> pl.DataFrame:
    invoice = pl.col("InvoiceNo")
    return raw.filter(
        ~invoice.str.starts_with("C")
        & ~invoice.str.starts_with("A")
        & (pl.col("Quantity") > 0)
    )


def test_online_retail_counts(
    online_retail_store: Path, raw_online_retail: pl.DataFrame
) -> None:
    raw = raw_online_retail
    kept = kept_lines(raw)
    anonymous = kept.filter(pl.col("CustomerID").is_null())["InvoiceNo"].n_unique()
    store = online_retail_store
    assert rows(store, "SELECT count(*) FROM purchases") == [
        (kept["InvoiceNo"].n_unique(),)
    ]
    assert rows(store, "SELECT count(*) FROM purchase_lines") == [(kept.height,)]
    assert rows(store, "SELECT count(*) FROM contacts") == [(4372,)]
    assert rows(store, "SELECT count(*) FROM contacts") == [
        (raw["CustomerID"].drop_nulls().n_unique(),)
    ]
    assert rows(store, "SELECT count(*) FROM products") == [(4070,)]
    assert rows(store, "SELECT count(*) FROM purchases WHERE contact_id IS NULL") == [
        (anonymous,)
    ]


def test_online_retail_amounts(
    online_retail_store: Path, raw_online_retail: pl.DataFrame
) -> None:
    kept = kept_lines(raw_online_retail)
    # UnitPrice has at most 3 decimals, so prices in thousandths are exact integers.
    thousandths = (pl.col("UnitPrice") * 1000).round(0).cast(pl.Int64)
    revenue = kept.select((pl.col("Quantity") * thousandths).sum()).item()
    units = kept["Quantity"].sum()
    assert rows(
        online_retail_store,
        "SELECT sum(total_price), sum(total_quantity) FROM purchases",
    ) == [(Decimal(revenue) / 1000, units)]
    assert rows(
        online_retail_store,
        "SELECT count(*) FROM purchases AS p JOIN ("
        "SELECT internal_id, sum(price) AS price, sum(quantity) AS quantity "
        "FROM purchase_lines GROUP BY internal_id) AS l USING (internal_id) "
        "WHERE p.total_price <> l.price OR p.total_quantity <> l.quantity",
    ) == [(0,)]


def test_online_retail_purchase_times(
    online_retail_store: Path, raw_online_retail: pl.DataFrame
) -> None:
    expected = (
        kept_lines(raw_online_retail)
        .group_by("InvoiceNo")
        .agg(pl.col("InvoiceDate").min())
        .with_columns(
            pl.col("InvoiceDate")
            .dt.replace_time_zone("Europe/London", ambiguous="earliest")
            .dt.convert_time_zone("UTC")
        )
    )
    stored = dict(
        rows(online_retail_store, "SELECT purchase_id, purchased_at FROM purchases")
    )
    mismatches = [
        invoice for invoice, time in expected.iter_rows() if stored[invoice] != time
    ]
    assert mismatches == []


def test_online_retail_service_codes(online_retail_store: Path) -> None:
    flagged = rows(
        online_retail_store,
        "SELECT product_id FROM products WHERE non_merchandise ORDER BY 1",
    )
    assert {row[0] for row in flagged} == SERVICE_CODES
    assert rows(
        online_retail_store,
        "SELECT non_merchandise FROM products WHERE product_id IN ('PADS', 'DCGS0003')",
    ) == [(False,), (False,)]


def test_online_retail_skipped_lines(
    tmp_path: Path, raw_online_retail: pl.DataFrame
) -> None:
    path = tmp_path / "store"
    Store.create(path, amount_scale=3)
    summary = run_import(
        path, [shared_file("online_retail/online_retail.parquet")], "online-retail"
    )
    invoice = pl.col("InvoiceNo")
    raw = raw_online_retail
    assert summary.skipped == {
        "cancellation invoice lines": raw.filter(invoice.str.starts_with("C")).height,
        "bad-debt adjustment lines": raw.filter(invoice.str.starts_with("A")).height,
        "lines with quantity 0 or less": raw.filter(
            ~invoice.str.starts_with("C")
            & ~invoice.str.starts_with("A")
            & (pl.col("Quantity") <= 0)
        ).height,
    }
    assert summary.skipped["cancellation invoice lines"] == 9288

    # Importing the same file again changes nothing.
    again = run_import(
        path, [shared_file("online_retail/online_retail.parquet")], "online-retail"
    )
    assert again.snapshot_after == summary.snapshot_after
    assert again.counts["purchases_unchanged"] == summary.counts["purchases_new"]


def test_online_retail_csv_matches_parquet(
    tmp_path: Path, online_retail_store: Path
) -> None:
    path = tmp_path / "store"
    Store.create(path, amount_scale=3)
    run_import(
        path, [shared_file("online_retail/online_retail.csv.gz")], "online-retail"
    )
    for query in (
        "SELECT * EXCLUDE (imported_at) FROM purchases ORDER BY internal_id",
        "SELECT * FROM purchase_lines ORDER BY internal_id, line_number",
        "SELECT * FROM contacts ORDER BY contact_id",
        "SELECT * FROM products ORDER BY product_id",
    ):
        assert rows(path, query) == rows(online_retail_store, query), query


def test_online_retail_needs_scale_three(store_path: Path) -> None:
    with pytest.raises(BadInputError) as error:
        run_import(
            store_path,
            [shared_file("online_retail/online_retail.parquet")],
            "online-retail",
        )
    assert "storepipe init --amount-scale 3" in str(error.value)
    with Store.open(store_path, write=False) as store:
        assert store.snapshot_id() == 1


def test_cdnow_sample_counts(store_path: Path) -> None:
    summary = run_import(store_path, [shared_file("cdnow/CDNOW_sample.txt")], "cdnow")
    assert summary.counts["purchases_new"] == 6919
    assert rows(store_path, "SELECT count(DISTINCT contact_id) FROM purchases") == [
        (2357,)
    ]
    assert rows(store_path, "SELECT count(*) FROM purchase_lines") == [(0,)]
    # The first customer's purchases, including the first line of the file.
    assert rows(
        store_path,
        "SELECT purchased_at::DATE, total_quantity, total_price FROM purchases "
        "WHERE contact_id = '1' ORDER BY purchased_at",
    ) == [
        (dt.date(1997, 1, 1), 2, Decimal("29.33")),
        (dt.date(1997, 1, 18), 2, Decimal("29.73")),
        (dt.date(1997, 8, 2), 1, Decimal("14.96")),
        (dt.date(1997, 12, 12), 2, Decimal("26.48")),
    ]


def test_cdnow_sample_ids_match_summary(store_path: Path) -> None:
    run_import(store_path, [shared_file("cdnow/CDNOW_sample.txt")], "cdnow")
    summary = pl.read_csv(
        shared_file("cdnow/cdnow_customers_summary_with_transactions.csv")
    )
    expected = {str(value) for value in summary["ID"]}
    stored = {row[0] for row in rows(store_path, "SELECT contact_id FROM contacts")}
    assert stored == expected


def test_cdnow_master_counts(store_path: Path) -> None:
    file = shared_file("cdnow/cdnow_master.csv")
    summary = run_import(store_path, [file], "cdnow")
    assert summary.counts["purchases_new"] == 69659
    assert summary.counts["contacts_created"] == 23570
    again = run_import(store_path, [file], "cdnow")
    assert again.snapshot_after == summary.snapshot_after
