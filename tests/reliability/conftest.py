"""Fixtures of the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.helpers import generate


@pytest.fixture(scope="session")
def generated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a generated store (400 contacts, 1,500 purchases) to copy from."""
    path = tmp_path_factory.mktemp("template") / "store"
    generate(path, contacts=400, purchases=1500)
    return path
