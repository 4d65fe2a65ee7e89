"""The deletion preview on the public Online Retail data and its cancellations."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.deletion import read_id_file
from pipeline.impact.preview import preview_deletion
from pipeline.impact.report import report_html
from pipeline.ingest.importer import ImportRequest, import_files
from pipeline.runs import RunRecord
from pipeline.store import Store
from pipeline.timeparse import parse_as_of
from tests.conftest import shared_file
from tests.trust.test_report_browser import PNG_MAGIC, screenshot

pytestmark = pytest.mark.realdata

# Orders of 80,995 units of 23843 (invoice 581483) and 74,215 units of 23166
# (invoice 541431), each cancelled within minutes.
GIANT_ORDER_PRODUCTS = {"23843", "23166"}
# The screenshot stays outside the repository, where a person can look at it.
SCREENSHOT = Path(
    os.environ.get("STOREPIPE_REPORT_SCREENSHOT")
    or Path(tempfile.gettempdir()) / "storepipe-online-retail-report.png"
)


@pytest.fixture(scope="module")
def impact(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Return the preview of deleting every fully cancelled order."""
    path = tmp_path_factory.mktemp("online_retail") / "store"
    Store.create(path, time_zone="Europe/London", amount_scale=3)
    with Store.open(path, command="import") as store:
        request = ImportRequest(
            files=[shared_file("online_retail/online_retail.parquet")],
            preset="online-retail",
        )
        import_files(store, request, RunRecord("test", "import", "now"))
    ids = read_id_file(shared_file("online_retail/full_cancellations.csv"))
    with Store.open(path, write=False) as store:
        as_of = parse_as_of("2011-12-10", store.settings.store.time_zone)
        return preview_deletion(store, ids, as_of=as_of)


def test_cancellations_remove_every_order(impact: dict[str, Any]) -> None:
    assert impact["requested"] == {"deleted": 142}
    assert impact["removed"]["purchases"] == 142


def test_giant_orders_leave_best_sellers(impact: dict[str, Any]) -> None:
    all_time = impact["best_sellers"]["periods"]["all"]
    left = {row["product_id"]: row for row in all_time["left"]}
    moved = {row["product_id"]: row for row in all_time["moved"]}
    for product in GIANT_ORDER_PRODUCTS:
        row = left.get(product) or moved[product]
        assert row["rank_before"] <= 2, product
        assert row["rank_after"] is None or row["rank_after"] > 2, product


@pytest.mark.browser
def test_online_retail_report_renders(impact: dict[str, Any], tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html(impact), encoding="utf-8")

    screenshot(page, SCREENSHOT, tmp_path / "profile")

    assert SCREENSHOT.read_bytes().startswith(PNG_MAGIC)
