"""Stores with the public CDNOW and Online Retail purchases, loaded with DuckDB SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.recompute import (
    RecomputeContext,
    clv_eligibility_parameters,
    prepare,
    sql_step,
)
from pipeline.store import Store
from tests.conftest import shared_file

# The published CDNOW calibration period ends with 1997-09-30; purchases carry dates
# only and load as midnight UTC, so the end of that day includes all of them.
CDNOW_CALIBRATION_END = dt.datetime(1997, 9, 30, 23, 59, 59, tzinfo=dt.UTC)
ONLINE_RETAIL_AS_OF = dt.datetime(2011, 12, 10, tzinfo=dt.UTC)

CDNOW_SAMPLE_PURCHASES = """
INSERT INTO lake.purchases
WITH raw AS (
    SELECT text, string_split_regex(trim(text), '\\s+') AS fields, line
    FROM read_csv(?, header = false, delim = '\t', columns = {'text': 'VARCHAR'})
        WITH ORDINALITY AS t(text, line)
)
SELECT
    line AS internal_id,
    'cdnow-' || line AS purchase_id,
    ltrim(fields[2], '0') AS contact_id,
    timezone('UTC', strptime(fields[3], '%Y%m%d')) AS purchased_at,
    fields[5]::DECIMAL(18, 2) AS total_price,
    fields[4]::BIGINT AS total_quantity,
    NULL, NULL, 'cdnow', NULL, md5(text), now()
FROM raw
"""

CDNOW_MASTER_PURCHASES = """
INSERT INTO lake.purchases
SELECT
    row_number() OVER (ORDER BY customer_id, date) AS internal_id,
    'cdnow-' || internal_id AS purchase_id,
    customer_id::VARCHAR AS contact_id,
    timezone('UTC', date::TIMESTAMP) AS purchased_at,
    dollar_value::DECIMAL(18, 2) AS total_price,
    number_of_cds::BIGINT AS total_quantity,
    NULL, NULL, 'cdnow', NULL, md5(purchase_id), now()
FROM read_csv(?, header = true)
"""

# Purchases are the non-cancellation invoices of known customers, stamped with the
# earliest line time in London, where the invoice times are wall-clock times.
ONLINE_RETAIL_PURCHASES = """
INSERT INTO lake.purchases
SELECT
    row_number() OVER (ORDER BY InvoiceNo) AS internal_id,
    InvoiceNo AS purchase_id,
    any_value(CustomerID)::VARCHAR AS contact_id,
    timezone('Europe/London', min(InvoiceDate)) AS purchased_at,
    sum(Quantity * UnitPrice::DECIMAL(18, 3))::DECIMAL(18, 3) AS total_price,
    sum(Quantity) AS total_quantity,
    NULL, NULL, 'online_retail', NULL, md5(InvoiceNo), now()
FROM read_parquet(?)
WHERE CustomerID IS NOT NULL AND NOT starts_with(InvoiceNo, 'C')
GROUP BY InvoiceNo
"""

CONTACTS_FROM_PURCHASES = """
INSERT INTO lake.contacts (contact_id)
SELECT DISTINCT contact_id FROM lake.purchases ORDER BY contact_id
"""


def load_purchases(store_path: Path, statement: str, source: Path) -> None:
    """Load purchases with one INSERT statement, then one contact per buyer."""
    with Store.open(store_path, command="load test data") as store:
        with store.transaction():
            store.con.execute(statement, [str(source)])
            store.con.execute(CONTACTS_FROM_PURCHASES)


def recompute_context(store: Store, as_of: dt.datetime) -> RecomputeContext:
    """Prepare the live views and eligibility at `as_of`; return a CLV step context."""
    prepare(store.con, store.settings, as_of, store.amount_scale)
    ctx = RecomputeContext(
        store.con, store.settings, as_of, "test-run", store.amount_scale
    )
    sql_step("clv_eligibility", clv_eligibility_parameters)(ctx)
    return ctx


def create_cdnow_sample_store(path: Path) -> Path:
    """Create a store at `path` holding the CDNOW 1/10 sample (2,357 customers)."""
    source = shared_file("cdnow/CDNOW_sample.txt")
    Store.create(path)
    load_purchases(path, CDNOW_SAMPLE_PURCHASES, source)
    return path


@pytest.fixture(scope="module")
def cdnow_sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a CDNOW sample store shared by a module's tests, which must not write."""
    return create_cdnow_sample_store(tmp_path_factory.mktemp("cdnow") / "store")


@pytest.fixture
def writable_cdnow_store(tmp_path: Path) -> Path:
    """Return a CDNOW sample store of the test's own."""
    return create_cdnow_sample_store(tmp_path / "cdnow")


@pytest.fixture(scope="module")
def online_retail_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a store holding the Online Retail purchases of known customers."""
    source = shared_file("online_retail/online_retail.parquet")
    path = tmp_path_factory.mktemp("online_retail") / "store"
    Store.create(path, time_zone="Europe/London", amount_scale=3)
    load_purchases(path, ONLINE_RETAIL_PURCHASES, source)
    return path


# (contact_id, purchased_at as ISO 8601, total_price as text)
PurchaseRow = tuple[str, str, str]

INSERT_PURCHASE = """
INSERT INTO lake.purchases VALUES (
    ?, 'p' || ?, ?, ?::TIMESTAMPTZ, ?::DECIMAL(18, 2), 1,
    NULL, NULL, 'test', NULL, md5(?::VARCHAR), now()
)
"""

# Every threshold at its minimum, so a handful of purchases is eligible.
LOW_THRESHOLDS = """
[clv]
min_history_days = 0
min_buyers = 1
min_purchases = 1
min_buyers_with_3_purchases = 1
"""


def create_small_store(
    path: Path,
    purchases: list[PurchaseRow],
    contacts: list[str] | None = None,
    time_zone: str = "UTC",
    settings_text: str = "",
) -> Path:
    """Create a store with the given purchases and contacts (default: the buyers)."""
    Store.create(path, time_zone=time_zone)
    if settings_text:
        (path / "storepipe.toml").write_text(settings_text, encoding="utf-8")
    buyers = sorted({contact for contact, _, _ in purchases})
    with Store.open(path, command="load test data") as store:
        with store.transaction():
            for number, (contact, purchased_at, price) in enumerate(purchases, 1):
                store.con.execute(
                    INSERT_PURCHASE,
                    [number, number, contact, purchased_at, price, number],
                )
            for contact in contacts if contacts is not None else buyers:
                store.con.execute(
                    "INSERT INTO lake.contacts (contact_id) VALUES (?)", [contact]
                )
    return path
