"""Per-run DuckDB resources: a store run's threads and memory limit set by the fleet.

The store's storepipe.toml is never rewritten: the fleet passes these values to
`run_nightly`, which applies them to that run only.
"""

from __future__ import annotations

from pipeline.settings import EngineSection


def engine_for_run(threads: int, memory_limit: str) -> EngineSection:
    """Return the engine override of one store run; 0 or "" keep the store's value."""
    return EngineSection(threads=threads, memory_limit=memory_limit)
