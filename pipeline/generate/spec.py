"""What a synthetic store looks like: sizes, seed, time span and behaviour shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.errors import UsageError

# Purchases end at this fixed instant, so a store generated today and one generated
# next year are identical. Recompute at this instant to reproduce the demo figures.
REFERENCE_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HISTORY_DAYS = 730
MICROS_PER_DAY = 86_400_000_000


@dataclass(frozen=True)
class GeneratorSpec:
    """Sizes, seed and behaviour shares of one synthetic store.

    `purchases` is exact: the generator distributes exactly that many purchases,
    `anonymous_share` of them without a contact and the rest over the buyers.
    """

    contacts: int
    purchases: int
    seed: int = 0
    products: int | None = None
    buyer_share: float = 0.7
    anonymous_share: float = 0.03
    attributed_share: float = 0.12
    chunk_purchases: int = 500_000
    reference_time: dt.datetime = REFERENCE_TIME
    history_days: int = HISTORY_DAYS

    def validate(self) -> None:
        """Raise UsageError naming the first invalid value and its valid range."""
        if self.contacts < 1:
            raise UsageError(f"invalid --contacts {self.contacts}; give 1 or more")
        if self.purchases < 1:
            raise UsageError(f"invalid --purchases {self.purchases}; give 1 or more")
        if self.seed < 0:
            raise UsageError(f"invalid --seed {self.seed}; give 0 or more")
        if self.products is not None and self.products < 2:
            raise UsageError(f"invalid --products {self.products}; give 2 or more")
        for name in ("buyer_share", "anonymous_share", "attributed_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise UsageError(f"invalid {name} {value}; give a share from 0 to 1")
        if self.chunk_purchases < 1:
            raise UsageError(
                f"invalid chunk size {self.chunk_purchases}; give 1 or more purchases"
            )
        if self.history_days < 1:
            raise UsageError(f"invalid history of {self.history_days} days; give 1+")

    @property
    def product_count(self) -> int:
        """Number of merchandise products: given, or about one per 40 purchases."""
        if self.products is not None:
            return self.products
        return min(50_000, max(100, self.purchases // 40))

    @property
    def end_micros(self) -> int:
        """The reference time in microseconds since the Unix epoch."""
        return int(self.reference_time.timestamp()) * 1_000_000

    @property
    def start_micros(self) -> int:
        """The start of the purchase history in microseconds since the Unix epoch."""
        return self.end_micros - self.history_days * MICROS_PER_DAY
