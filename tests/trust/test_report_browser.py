"""The HTML impact report: self-contained, and rendered by headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.impact.preview import preview_deletion
from pipeline.impact.report import report_html
from pipeline.store import Store
from tests.trust.conftest import ERASED_PURCHASE
from tests.trust.helpers import as_of

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# The only URL a report may contain: the SVG namespace, which is never fetched.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def screenshot(html_file: Path, png: Path, profile: Path) -> None:
    """Render a page in headless Chromium and save a screenshot."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed; install the Debian package chromium")
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1200,2000",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_report_loads_nothing_remote(shop: Path) -> None:
    with Store.open(shop, write=False) as store:
        html = report_html(preview_deletion(store, [ERASED_PURCHASE], as_of=as_of()))

    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls == {SVG_NAMESPACE}
    assert "<script" not in html
    assert "<svg" in html


@pytest.mark.browser
def test_report_renders_in_chromium(shop: Path, tmp_path: Path) -> None:
    with Store.open(shop, write=False) as store:
        html = report_html(preview_deletion(store, [ERASED_PURCHASE], as_of=as_of()))
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    png = tmp_path / "report.png"

    screenshot(page, png, tmp_path / "profile")

    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC)
    # A blank 1200x2000 page compresses to a few kilobytes; charts and tables
    # make it far larger.
    assert len(data) > 50_000
