"""Store settings: the TOML file beside the catalog, validated with pydantic."""

from __future__ import annotations

import tomllib
import zoneinfo
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import UsageError

SETTINGS_FILE = "storepipe.toml"
ModelT = TypeVar("ModelT", bound=BaseModel)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSection(_Section):
    """Store-wide facts: time zone for days, products that are never ranked."""

    time_zone: str = "UTC"
    non_merchandise: list[str] = Field(default_factory=list)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError(f"unknown time zone {value!r}; use an IANA name")
        return value


class BestSellerSection(_Section):
    """Ranking windows in days before as_of; the all-time ranking is always added."""

    windows_days: list[int] = Field(default_factory=lambda: [7, 30, 90, 365])

    @field_validator("windows_days")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(days <= 0 for days in value) or len(set(value)) != len(value):
            raise ValueError("windows must be distinct positive day counts")
        return sorted(value)


class RfmThresholds(_Section):
    """Fixed score boundaries: four ascending cut points per dimension.

    A value at or above the k-th cut point of frequency or monetary scores k + 1;
    recency is inverted, so days at or below the k-th cut point from the end score
    higher.
    """

    recency_days: list[int] = Field(default_factory=lambda: [30, 90, 180, 365])
    frequency: list[int] = Field(default_factory=lambda: [2, 3, 5, 10])
    monetary: list[float] = Field(default_factory=lambda: [20.0, 50.0, 100.0, 250.0])

    @field_validator("recency_days", "frequency", "monetary")
    @classmethod
    def _four_ascending(cls, value: list[float]) -> list[float]:
        if len(value) != 4 or sorted(value) != list(value):
            raise ValueError("give four ascending cut points")
        return value


class RfmSection(_Section):
    """RFM scoring: quantiles with ties kept together, or fixed thresholds."""

    scoring: Literal["quantile", "thresholds"] = "quantile"
    population_years: int = Field(default=2, ge=1)
    thresholds: RfmThresholds = Field(default_factory=RfmThresholds)


class ClvSection(_Section):
    """CLV eligibility thresholds and model options."""

    min_history_days: int = Field(default=120, ge=0)
    min_buyers: int = Field(default=500, ge=0)
    min_purchases: int = Field(default=500, ge=0)
    min_buyers_with_3_purchases: int = Field(default=1, ge=0)
    time_unit: Literal["days", "weeks"] = "weeks"
    annual_discount_rate: float | None = Field(default=None, ge=0, lt=1)


class SegmentDefinition(_Section):
    """A dynamic segment: a SQL condition on the columns of `segment_input`."""

    name: str = Field(min_length=1)
    condition: str = Field(min_length=1)


class DeletionSection(_Section):
    """Guard rails for deletion batches and the retention before physical erasure."""

    max_purchase_share: float = Field(default=0.05, gt=0, le=1)
    max_revenue_share: float = Field(default=0.05, gt=0, le=1)
    refuse_clv_ineligible: bool = True
    retention_days: int = Field(default=7, ge=0)


class InboxSection(_Section):
    """Reader options of `storepipe nightly` for purchase files in the inbox."""

    preset: Literal["online-retail", "cdnow"] | None = None
    format: Literal["jsonl", "csv", "csv.gz", "parquet"] | None = None
    # Column mapping of flat line files: file column -> purchase field.
    map: dict[str, str] = Field(default_factory=dict)


class EngineSection(_Section):
    """DuckDB resources; 0 threads and an empty limit mean DuckDB's defaults."""

    threads: int = Field(default=0, ge=0)
    memory_limit: str = ""


class Settings(_Section):
    """All settings of one store."""

    store: StoreSection = Field(default_factory=StoreSection)
    best_sellers: BestSellerSection = Field(default_factory=BestSellerSection)
    rfm: RfmSection = Field(default_factory=RfmSection)
    clv: ClvSection = Field(default_factory=ClvSection)
    segments: list[SegmentDefinition] = Field(default_factory=list)
    deletion: DeletionSection = Field(default_factory=DeletionSection)
    engine: EngineSection = Field(default_factory=EngineSection)
    inbox: InboxSection = Field(default_factory=InboxSection)

    @field_validator("segments")
    @classmethod
    def _unique_names(cls, value: list[SegmentDefinition]) -> list[SegmentDefinition]:
        names = [segment.name for segment in value]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"segment names must be unique; repeated: {duplicates}")
        return value


def load_settings(store_path: Path) -> Settings:
    """Read and validate the store's settings file."""
    path = store_path / SETTINGS_FILE
    return load_toml_model(
        path,
        Settings,
        f"settings file {path} not found; create the store with `storepipe init`",
    )


def load_toml_model(path: Path, model: type[ModelT], missing: str) -> ModelT:
    """Read a TOML file into a pydantic model; raise UsageError naming the problem.

    `missing` is the whole message for a file that does not exist.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(missing) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"invalid TOML in {path}: {exc}; fix the file") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(
            f"invalid setting {where} in {path}: {first['msg']}; fix the file"
        ) from None


def default_settings_text(time_zone: str = "UTC") -> str:
    """Return the commented settings file that `storepipe init` writes."""
    return DEFAULT_SETTINGS.replace('time_zone = "UTC"', f'time_zone = "{time_zone}"')


DEFAULT_SETTINGS = """\
# storepipe store settings. Every key is optional; these are the defaults.

[store]
# IANA time zone in which days are counted (daily sales, RFM recency, CLV days).
time_zone = "UTC"
# Product ids that are never ranked as best sellers (shipping, fees, vouchers).
# Products imported with non_merchandise = true are excluded as well.
non_merchandise = []

[best_sellers]
# Windows in days before as_of; the all-time ranking is always computed too.
windows_days = [7, 30, 90, 365]

[rfm]
# "quantile": score = 1 + floor(5 * w / n), where w counts contacts with a strictly
# worse value. "thresholds": fixed cut points from [rfm.thresholds].
scoring = "quantile"
population_years = 2

[rfm.thresholds]
recency_days = [30, 90, 180, 365]
frequency = [2, 3, 5, 10]
monetary = [20.0, 50.0, 100.0, 250.0]

[clv]
min_history_days = 120
min_buyers = 500
min_purchases = 500
min_buyers_with_3_purchases = 1
# Time unit of the BG/NBD summary and model: "days" or "weeks".
time_unit = "weeks"
# Annual discount rate for clv_12m, for example 0.1; leave unset for none.
# annual_discount_rate = 0.1

# Dynamic segments: SQL conditions on the columns of the segment_input view
# (contact fields, contact_metrics, rfm and clv columns).
[[segments]]
name = "Repeat buyers"
condition = "total_purchases > 1"

[[segments]]
name = "At risk"
condition = "rfm_segment = 'At risk'"

[deletion]
# A batch that removes more than these shares of the store's purchases or revenue,
# or makes the store ineligible for CLV, is rejected unless --force is given.
max_purchase_share = 0.05
max_revenue_share = 0.05
refuse_clv_ineligible = true
# Days a deleted batch stays restorable before purge erases it physically.
retention_days = 7

[inbox]
# How nightly reads purchase files in inbox/: preset "online-retail" or "cdnow",
# format (default: from the file name), and a flat line file's column mapping.
# preset = "online-retail"
# format = "csv"
# map = { order = "purchaseId", sku = "productId" }

[engine]
# DuckDB threads (0 = all cores) and memory limit (for example "4GB"; empty = default).
threads = 0
memory_limit = ""
"""
