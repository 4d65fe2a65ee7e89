"""Reader for the UCI Online Retail layout: one row per invoice line.

Columns: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
CustomerID, Country (Chen, Sain and Guo, 2012, UCI Machine Learning Repository).
An invoice is a purchase unless its number starts with C (cancellation) or A
(bad-debt adjustment), and only its lines with Quantity above 0 are kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.errors import BadInputError, UsageError
from pipeline.ingest.fields import (
    check_amounts,
    check_integers,
    check_required,
    first_bad_row,
)
from pipeline.sqlfiles import load_sql
from pipeline.store import schema_statement

log = logging.getLogger(__name__)

# Stock codes of postage, fees, manual adjustments and gift vouchers in this data set.
SERVICE_CODES = (
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
)
COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)


def stage_online_retail(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_format: str,
    amount_scale: int,
    non_merchandise: list[str],
) -> tuple[int, dict[str, int]]:
    """Stage an Online Retail file; return the rows read and skipped rows per reason.

    Every CustomerID and StockCode in the file that the store lacks becomes a
    contact and a product, even when none of its lines is kept.
    """
    _load_raw(con, path, file_format)
    _check_raw(con, path, amount_scale)
    con.execute(schema_statement("ingest/online_retail_rows", amount_scale))

    source_file = str(path)
    con.execute(load_sql("ingest/stage_online_retail_purchases"), [source_file])
    con.execute(load_sql("ingest/stage_online_retail_lines"), [source_file])
    con.execute(load_sql("ingest/stage_online_retail_contacts"), [source_file])
    codes = sorted(set(SERVICE_CODES) | set(non_merchandise))
    con.execute(load_sql("ingest/stage_online_retail_products"), [codes, source_file])

    row = con.execute(
        "SELECT count(*), "
        "count(*) FILTER (WHERE is_cancellation), "
        "count(*) FILTER (WHERE is_adjustment), "
        "count(*) FILTER (WHERE NOT is_cancellation AND NOT is_adjustment "
        "AND quantity <= 0) "
        "FROM online_retail_rows"
    ).fetchone()
    assert row is not None
    skipped = {
        "cancellation invoice lines": int(row[1]),
        "bad-debt adjustment lines": int(row[2]),
        "lines with quantity 0 or less": int(row[3]),
    }
    log.info("read %d Online Retail rows from %s; skipped %s", row[0], path, skipped)
    return int(row[0]), skipped


def _load_raw(con: duckdb.DuckDBPyConnection, path: Path, file_format: str) -> None:
    if file_format == "parquet":
        statement = "ingest/raw_online_retail_parquet"
    elif file_format in ("csv", "csv.gz"):
        statement = "ingest/raw_online_retail_csv"
    else:
        raise UsageError(
            f"the online-retail preset reads parquet, csv or csv.gz, not {file_format}"
        )
    try:
        con.execute(load_sql(statement), [str(path)])
    except duckdb.BinderException:
        raise BadInputError(
            f"{path} lacks Online Retail columns; expected {', '.join(COLUMNS)}"
        ) from None
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise BadInputError(
            f"cannot read {path} as {file_format}: {first_line}; check the file"
        ) from None


def _check_raw(con: duckdb.DuckDBPyConnection, path: Path, amount_scale: int) -> None:
    check_required(
        con,
        "raw_online_retail",
        {
            "invoice": "InvoiceNo",
            "stock_code": "StockCode",
            "quantity": "Quantity",
            "invoice_date": "InvoiceDate",
            "unit_price": "UnitPrice",
        },
        path,
    )
    check_integers(
        con,
        "raw_online_retail",
        {"quantity": "Quantity", "customer_id": "CustomerID"},
        path,
    )
    bad = first_bad_row(
        con,
        "raw_online_retail",
        "invoice_date",
        "try_strptime(trim(invoice_date), '%Y-%m-%d %H:%M:%S') IS NULL",
    )
    if bad:
        raise BadInputError(
            f"{path} line {bad[0]}: invalid InvoiceDate {bad[1]!r}; "
            "expected a local time such as 2011-12-09 12:50:00"
        )
    check_amounts(
        con, "raw_online_retail", {"unit_price": "UnitPrice"}, path, amount_scale
    )
