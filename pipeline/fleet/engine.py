"""Per-run DuckDB resources: a store run's threads and memory limit set by the fleet.

The store's storepipe.toml is never rewritten. The fleet's values replace its
`[engine]` section in the settings that `Store.open` loads, for the duration of
the block, in this process only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pipeline.store as store_module
from pipeline.settings import Settings


@contextlib.contextmanager
def engine_overrides(threads: int, memory_limit: str) -> Iterator[None]:
    """Open every store in this block with these DuckDB threads and memory limit.

    0 threads or an empty limit keep the store's own value.
    """
    original = store_module.load_settings

    def load_with_overrides(store_path: Path) -> Settings:
        settings = original(store_path)
        update: dict[str, object] = {}
        if threads:
            update["threads"] = threads
        if memory_limit:
            update["memory_limit"] = memory_limit
        engine = settings.engine.model_copy(update=update)
        return settings.model_copy(update={"engine": engine})

    # NOTE: this replaces `load_settings` in pipeline.store for the whole process,
    # which is safe because a Ray worker runs one store task at a time. An engine
    # parameter of Store.open would make the replacement unnecessary.
    store_module.load_settings = load_with_overrides
    try:
        yield
    finally:
        store_module.load_settings = original
