"""Contacts and the buy-till-you-die process that decides who buys how often.

Each buyer follows a Pareto/NBD-style process (Schmittlein, Morrison & Colombo 1987):
while alive, a buyer purchases as a Poisson process with a gamma-distributed rate,
and dies after an exponentially distributed lifetime whose rate is gamma-distributed
too. The first purchase marks the buyer's arrival. Given the total number of repeat
purchases, Poisson counts are multinomial with weights rate x time alive, which is how
the generator hits the requested purchase count exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from pipeline.generate.arrow import id_array, label_array, timestamp_array
from pipeline.generate.spec import MICROS_PER_DAY, GeneratorSpec

# Gamma shape of the purchase rate: below 1, most buyers buy rarely and a few often.
RATE_SHAPE = 0.55
# Gamma shape and mean (per day) of the dropout rate; mean lifetime is about a year.
DROPOUT_SHAPE = 1.2
DROPOUT_MEAN_PER_DAY = 1 / 365
# Arrivals follow Beta(ARRIVAL_SHAPE, 1) over the history: a store that grows.
ARRIVAL_SHAPE = 1.4

FIRST_NAMES = ["Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo"]
LAST_NAMES = ["Garcia", "Smith", "Rossi", "Novak", "Dubois", "Okafor", "Jensen"]
COUNTRIES = ["Spain", "United Kingdom", "France", "Germany", "Italy", "Portugal"]
COUNTRY_WEIGHTS = [0.35, 0.2, 0.15, 0.15, 0.1, 0.05]


@dataclass
class Population:
    """Per contact arrays, indexed by contact number (0 to contacts - 1)."""

    purchase_counts: npt.NDArray[np.int64]
    created_micros: npt.NDArray[np.int64]
    first_purchase_micros: npt.NDArray[np.int64]
    alive_micros: npt.NDArray[np.int64]
    anonymous_purchases: int

    @property
    def size(self) -> int:
        return len(self.purchase_counts)


def draw_population(rng: np.random.Generator, spec: GeneratorSpec) -> Population:
    """Choose the buyers and give each a first purchase, a lifetime and a count."""
    contacts = spec.contacts
    span = spec.end_micros - spec.start_micros
    anonymous = min(round(spec.anonymous_share * spec.purchases), spec.purchases - 1)
    known = spec.purchases - anonymous
    buyers = max(1, min(round(spec.buyer_share * contacts), known))
    buyer_numbers = np.sort(rng.choice(contacts, size=buyers, replace=False))

    # Arrival (first purchase) and lifetime of each buyer.
    arrival = _whole_seconds(
        spec.start_micros + rng.beta(ARRIVAL_SHAPE, 1.0, buyers) * span
    )
    dropout = rng.gamma(DROPOUT_SHAPE, DROPOUT_MEAN_PER_DAY / DROPOUT_SHAPE, buyers)
    lifetime = rng.exponential(1.0 / dropout) * MICROS_PER_DAY
    alive = np.minimum(lifetime, spec.end_micros - 1 - arrival).astype(np.int64)

    # Repeat purchases: multinomial with weights rate x time alive.
    rate = rng.gamma(RATE_SHAPE, 1.0, buyers)
    weights = rate * alive
    total = weights.sum()
    weights = weights / total if total > 0 else np.full(buyers, 1.0 / buyers)
    repeats = rng.multinomial(known - buyers, weights)

    counts = np.zeros(contacts, dtype=np.int64)
    counts[buyer_numbers] = 1 + repeats
    first = np.zeros(contacts, dtype=np.int64)
    first[buyer_numbers] = arrival
    alive_all = np.zeros(contacts, dtype=np.int64)
    alive_all[buyer_numbers] = alive

    # Buyers sign up shortly before their first purchase, others any time.
    created = _whole_seconds(spec.start_micros + rng.random(contacts) * span)
    lead = _whole_seconds(rng.exponential(2 * MICROS_PER_DAY, buyers))
    created[buyer_numbers] = arrival - lead
    return Population(counts, created, first, alive_all, anonymous)


def contacts_table(
    rng: np.random.Generator, population: Population, start: int, stop: int
) -> pa.Table:
    """Return the contact rows for contact numbers `start` to `stop - 1`."""
    numbers = np.arange(start, stop, dtype=np.int64)
    size = stop - start
    contact_ids = id_array("c", numbers, 8)
    emails = pa.compute.binary_join_element_wise(
        contact_ids, pa.scalar("@example.com"), ""
    )
    country = rng.choice(len(COUNTRIES), size=size, p=COUNTRY_WEIGHTS)
    return pa.table(
        {
            "contact_id": contact_ids,
            "email": emails,
            "first_name": _labels(rng.integers(0, len(FIRST_NAMES), size), FIRST_NAMES),
            "last_name": _labels(rng.integers(0, len(LAST_NAMES), size), LAST_NAMES),
            "country": _labels(country, COUNTRIES),
            "created_at": timestamp_array(population.created_micros[start:stop]),
        }
    )


def contact_ids(numbers: npt.NDArray[np.int64]) -> pa.Array:
    """Return the contact ids of contact numbers."""
    return id_array("c", numbers, 8)


def _labels(codes: npt.NDArray[np.int64], labels: list[str]) -> pa.Array:
    return label_array(codes, labels).cast(pa.string())


def _whole_seconds(micros: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    return (np.floor(micros / 1_000_000) * 1_000_000).astype(np.int64)
