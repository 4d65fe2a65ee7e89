"""The store a generator writes to: created when missing, never one with data."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.settings import SETTINGS_FILE
from pipeline.store import STORE_ENTRIES, Store

log = logging.getLogger(__name__)


def prepare_empty_store(path: Path, *, fresh: bool) -> None:
    """Make `path` an empty store, or raise UsageError rather than touch other data.

    A missing path or an empty folder gets a new store with default settings. An
    existing store is reused when it contains no purchases. With `fresh`, an existing
    store is deleted and created again; a folder without `storepipe.toml` is never
    deleted.
    """
    if (path / SETTINGS_FILE).exists():
        if not fresh:
            purchases = _purchase_count(path)
            if purchases:
                raise UsageError(
                    f"store {path} already contains {purchases} purchases; "
                    "pass --fresh to delete and recreate it, or choose another --store"
                )
            return
        foreign = sorted(
            entry.name for entry in path.iterdir() if entry.name not in STORE_ENTRIES
        )
        if foreign:
            raise UsageError(
                f"store {path} also contains {', '.join(foreign[:5])}, which --fresh "
                "would delete; move them out of the store folder first"
            )
        log.info("removing store %s to recreate it", path)
        shutil.rmtree(path)
    elif path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise UsageError(
            f"{path} exists and is not a store; choose another --store "
            "(--fresh only recreates a folder that contains a store)"
        )
    Store.create(path)


def _purchase_count(path: Path) -> int:
    with Store.open(path, write=False) as store:
        row = store.con.execute("SELECT count(*) FROM lake.purchases").fetchone()
    return int(row[0]) if row else 0
