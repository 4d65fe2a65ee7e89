"""The deletion preview: it writes nothing, and it predicts the real deletion."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.impact.preview import preview_deletion
from pipeline.store import Store
from tests.rows import table_rows
from tests.trust.conftest import AS_OF, ERASED_PRODUCT, ERASED_PURCHASE
from tests.trust.helpers import (
    COMPARED_OUTPUTS,
    as_of,
    delete,
    files_under,
    output_rows,
    recompute,
    snapshot_id,
)

BATCH = [ERASED_PURCHASE, "p05", "missing-id"]


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import main; main()", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


def test_dry_run_changes_nothing(shop: Path, tmp_path: Path) -> None:
    recompute(shop)
    snapshot = snapshot_id(shop)
    files = files_under(shop)
    output = tmp_path / "impact.json"

    result = run_cli(
        "delete", "--store", str(shop), "--dry-run", "--as-of", AS_OF,
        "--output", str(output), *BATCH,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "removes 2 purchases" in result.stdout
    assert snapshot_id(shop) == snapshot
    assert files_under(shop) == files
    assert json.loads(output.read_text())["removed"]["purchases"] == 2


def test_preview_predicts_real_deletion(shop: Path) -> None:
    recompute(shop)
    with Store.open(shop, write=False) as store:
        preview_deletion(store, BATCH, as_of=as_of())
        predicted = {
            table: store.con.execute(
                f"FROM temp.main.out_{table} ORDER BY ALL"
            ).fetchall()
            for table in COMPARED_OUTPUTS
        }

    delete(shop, BATCH)
    recompute(shop)

    actual = output_rows(shop)
    for table in COMPARED_OUTPUTS:
        assert actual[table] == predicted[table], table


def test_preview_sections_name_the_changes(shop: Path) -> None:
    with Store.open(shop, write=False) as store:
        impact = preview_deletion(store, BATCH, as_of=as_of())

    assert impact["requested"] == {"deleted": 2, "not_found": 1}
    assert impact["removed"] == {
        "purchases": 2,
        "lines": 2,
        "units": 13,
        "revenue": "1031.00",
    }
    contacts = {c["contact_id"]: c for c in impact["contacts"]}
    assert set(contacts) == {"eve", "bob"}
    assert contacts["eve"]["purchases_after"] == 0
    assert contacts["eve"]["rfm_segment_after"] is None
    assert contacts["bob"]["amount_after"] == "20.00"
    repeat = next(s for s in impact["segments"] if s["segment"] == "Repeat buyers")
    assert repeat["left"] == ["bob"]
    all_time = impact["best_sellers"]["periods"]["all"]
    assert [row["product_id"] for row in all_time["left"]] == [ERASED_PRODUCT]
    clv = impact["clv_eligibility"]
    assert clv["eligible_before"] is True
    assert clv["eligible_after"] is False
    buyers = next(c for c in clv["criteria"] if c["criterion"] == "buyers")
    assert (buyers["margin_before"], buyers["margin_after"]) == (0, -1)
    days = {day["day"]: day for day in impact["daily_sales"]}
    assert set(days) == {"2024-05-28", "2024-05-29"}
    assert days["2024-05-29"]["revenue_after"] == "0.00"


def test_deletion_stores_its_impact(shop: Path) -> None:
    result = delete(shop, BATCH)

    stored = table_rows(
        shop,
        f"SELECT impact FROM deletion_batches WHERE batch_id = '{result.batch_id}'",
    )
    impact = json.loads(stored[0][0])
    assert impact["removed"]["purchases"] == 2
    assert impact["as_of"].startswith("2024-06-01")
