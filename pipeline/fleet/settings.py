"""Fleet settings: a TOML file of its own, because they apply to every store.

    [fleet]
    max_concurrent = 0        # store runs at once; 0 = the cluster's CPU count
    retries = 2               # extra attempts after a crash or a busy store
    lock_wait_seconds = 30    # per attempt, wait this long for a busy store's lock

    [engine]
    threads = 1               # DuckDB threads of each store run; 0 = the store's own
    memory_limit = ""         # DuckDB memory limit of each run, e.g. "2GB";
                              # empty = the store's own

Command line options override the file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.settings import load_toml_model


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FleetSection(_Section):
    """How many store runs go at once and how failed runs are retried."""

    max_concurrent: int = Field(default=0, ge=0)
    retries: int = Field(default=2, ge=0)
    lock_wait_seconds: float = Field(default=30.0, ge=0)


class FleetEngineSection(_Section):
    """DuckDB resources of each store run; they replace the store's `[engine]`."""

    threads: int = Field(default=1, ge=0)
    memory_limit: str = ""

    @field_validator("memory_limit")
    @classmethod
    def _duckdb_accepts(cls, value: str) -> str:
        if value:
            check_memory_limit(value)
        return value


class FleetSettings(_Section):
    """All fleet settings."""

    fleet: FleetSection = Field(default_factory=FleetSection)
    engine: FleetEngineSection = Field(default_factory=FleetEngineSection)


def check_memory_limit(value: str) -> None:
    """Raise ValueError unless DuckDB accepts `value` as its memory_limit."""
    try:
        duckdb.connect(config={"memory_limit": value}).close()
    except duckdb.Error as exc:
        raise ValueError(
            f"invalid memory limit {value!r} ({exc}); use a size such as '2GB'"
        ) from None


def load_fleet_settings(path: Path | None) -> FleetSettings:
    """Read and validate a fleet settings file; no path gives the defaults."""
    if path is None:
        return FleetSettings()
    return load_toml_model(
        path, FleetSettings, f"fleet settings file {path} not found; check the path"
    )
