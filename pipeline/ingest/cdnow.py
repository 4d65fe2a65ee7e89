"""Reader for the CDNOW cohort files: one purchase per row, without lines.

Two layouts are read. `cdnow_master.csv` has the header
`customer_id,date,number_of_cds,dollar_value` and dates as yyyy-mm-dd.
`CDNOW_sample.txt` has no header and five whitespace-separated columns: master id,
sample id, date as yyyymmdd, CDs and dollars. Source of the data: Fader and Hardie,
"CDNOW data", brucehardie.com.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from pipeline.errors import BadInputError
from pipeline.ingest.fields import check_amounts, check_integers
from pipeline.sqlfiles import load_sql

log = logging.getLogger(__name__)

MASTER_HEADER = "customer_id,date,number_of_cds,dollar_value"


def stage_cdnow(
    con: duckdb.DuckDBPyConnection, path: Path, time_zone: str, amount_scale: int
) -> int:
    """Stage the purchases of a CDNOW file and return how many rows were read."""
    con.execute(load_sql("ingest/raw_text_lines"), [str(path)])
    first = con.execute(
        "SELECT trim(text) FROM raw_text_lines WHERE line = 1"
    ).fetchone()
    first_line = first[0] if first else ""
    is_master = "," in first_line
    if is_master and first_line.lower() != MASTER_HEADER:
        raise BadInputError(
            f"{path} line 1: expected the header {MASTER_HEADER!r}, "
            f"found {first_line!r}; use the CDNOW master CSV or the sample text file"
        )
    con.execute(load_sql("ingest/raw_cdnow"), [is_master])

    # Check the fields before any cast can fail.
    expected = 4 if is_master else 5
    bad = con.execute(
        "SELECT line, field_count FROM raw_cdnow WHERE field_count <> ? "
        "ORDER BY line LIMIT 1",
        [expected],
    ).fetchone()
    if bad:
        raise BadInputError(
            f"{path} line {bad[0]}: expected {expected} fields, found {bad[1]}; "
            "check the separator and the file layout"
        )
    check_integers(
        con, "raw_cdnow", {"customer_text": "customer id", "cds_text": "CDs"}, path
    )
    date_format = "%Y-%m-%d" if is_master else "%Y%m%d"
    bad_day = con.execute(
        "SELECT line, day_text FROM raw_cdnow "
        "WHERE try_strptime(trim(day_text), ?) IS NULL ORDER BY line LIMIT 1",
        [date_format],
    ).fetchone()
    if bad_day:
        raise BadInputError(
            f"{path} line {bad_day[0]}: invalid date {bad_day[1]!r}; "
            f"expected the format {date_format}"
        )
    check_amounts(con, "raw_cdnow", {"dollars_text": "dollars"}, path, amount_scale)

    con.execute(load_sql("ingest/stage_cdnow"), [time_zone, str(path)])
    row = con.execute("SELECT count(*) FROM raw_cdnow").fetchone()
    rows = int(row[0]) if row else 0
    log.info("read %d CDNOW rows from %s", rows, path)
    return rows
