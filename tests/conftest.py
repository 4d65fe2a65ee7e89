"""Shared fixtures: fresh stores in tmp_path and the public data sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Return the path of a new, empty store with default settings."""
    path = tmp_path / "store"
    Store.create(path)
    return path


def shared_file(relative: str) -> Path:
    """Return a file of the public data sets, or skip the test when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"public data set file {path} is absent; see README, Test data")
    return path
