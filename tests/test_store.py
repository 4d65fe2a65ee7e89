"""The store: creation, settings, locking and snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import StoreBusyError, UsageError
from pipeline.store import Store


def test_init_creates_contract_tables(store_path: Path) -> None:
    with Store.open(store_path, write=False) as store:
        tables = {row[0] for row in store.con.execute("SHOW TABLES").fetchall()}
    for name in ("purchases", "purchase_lines", "contacts", "deletion_log", "runs"):
        assert name in tables


def test_init_twice_is_rejected(store_path: Path) -> None:
    with pytest.raises(UsageError, match="already exists"):
        Store.create(store_path)


def test_open_missing_store_names_init(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="storepipe init"):
        with Store.open(tmp_path / "nowhere"):
            pass


def test_second_writer_is_busy(store_path: Path) -> None:
    with Store.open(store_path, command="first"):
        with pytest.raises(StoreBusyError, match="first"):
            with Store.open(store_path, command="second"):
                pass


def test_amount_scale_comes_from_catalog(tmp_path: Path) -> None:
    Store.create(tmp_path / "s", amount_scale=3)
    with Store.open(tmp_path / "s", write=False) as store:
        assert store.amount_scale == 3


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "afile"
    path.write_text("not a store\n")
    with pytest.raises(UsageError, match="is a file, not a store folder"):
        Store.create(path)
    with pytest.raises(UsageError, match="is a file, not a store folder"):
        with Store.open(path):
            pass


def test_init_rejects_folder_with_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep")
    with pytest.raises(UsageError, match="not a store"):
        Store.create(folder)
    assert sorted(entry.name for entry in folder.iterdir()) == ["notes.txt"]
