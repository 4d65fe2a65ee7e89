"""The fleet: nightly runs of many stores fanned out over a Ray cluster.

Each store keeps the guarantees of a single-store `storepipe nightly`: its own
write lock, run manifest and log. Ray is imported only when a fleet runs, so a
single-store install does not need it.
"""

from __future__ import annotations

from pipeline.fleet.manifest import FleetResult, StoreResult
from pipeline.fleet.runner import FleetOptions, run_fleet
from pipeline.fleet.settings import FleetSettings, load_fleet_settings
from pipeline.fleet.stores import StoreEntry, read_stores

__all__ = [
    "FleetOptions",
    "FleetResult",
    "FleetSettings",
    "StoreEntry",
    "StoreResult",
    "load_fleet_settings",
    "read_stores",
    "run_fleet",
]
