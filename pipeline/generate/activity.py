"""Carts that did not end in a purchase, and what workflows did to contacts."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from pipeline.generate.arrow import id_array, label_array, timestamp_array
from pipeline.generate.population import Population, contact_ids
from pipeline.generate.spec import MICROS_PER_DAY, GeneratorSpec

# Abandoned carts per contact are Poisson with mean 0.15 + 0.2 x its purchases.
# A cart untouched for ACTIVE_DAYS is abandoned, so active carts are all recent.
ABANDONED_BASE = 0.15
ABANDONED_PER_PURCHASE = 0.2
ACTIVE_SHARE = 0.03
ACTIVE_DAYS = 3
# Newsletter: subscribers are added to a static segment when they sign up and get
# NEWSLETTER_PER_DAY emails a day on average afterwards.
SUBSCRIBER_SHARE = 0.4
SUBSCRIBER_SEGMENT = "Newsletter subscribers"
NEWSLETTER_PER_DAY = 0.25 / 30
WELCOME_SHARE = 0.8
HOUR = 3_600_000_000


def open_carts(
    rng: np.random.Generator,
    spec: GeneratorSpec,
    population: Population,
    start: int,
    stop: int,
    first_number: int,
) -> pa.Table:
    """Return abandoned and active carts of contacts `start` to `stop - 1`.

    Carts are numbered from `first_number`; purchased carts have their own ids.
    """
    counts = population.purchase_counts[start:stop]
    abandoned = rng.poisson(ABANDONED_BASE + ABANDONED_PER_PURCHASE * counts)
    active = (rng.random(stop - start) < ACTIVE_SHARE).astype(np.int64)
    owners = np.repeat(np.arange(start, stop, dtype=np.int64), abandoned + active)
    size = len(owners)
    is_active = np.zeros(size, dtype=bool)
    ends = np.cumsum(abandoned + active)
    is_active[(ends - 1)[active == 1]] = True

    # Abandoned carts fall between sign-up and ACTIVE_DAYS before the end.
    recent = spec.end_micros - ACTIVE_DAYS * MICROS_PER_DAY
    earliest = np.clip(population.created_micros[owners], spec.start_micros, recent)
    updated = earliest + (rng.random(size) * (recent - earliest)).astype(np.int64)
    fresh = recent + (rng.random(size) * (spec.end_micros - recent)).astype(np.int64)
    updated = np.where(is_active, fresh, updated) // 1_000_000 * 1_000_000
    numbers = first_number + np.arange(size, dtype=np.int64)
    return pa.table(
        {
            "cart_id": id_array("CA", numbers, 10),
            "contact_id": contact_ids(owners),
            "status": label_array(is_active, ["abandoned", "active"]).cast(pa.string()),
            "purchase_id": pa.nulls(size, pa.string()),
            "updated_at": timestamp_array(updated),
        }
    )


def workflow_activity(
    rng: np.random.Generator,
    spec: GeneratorSpec,
    population: Population,
    start: int,
    stop: int,
    first_number: int,
) -> pa.Table:
    """Return welcome and newsletter emails and static segment additions.

    Events are numbered from `first_number`. Only events before the reference time
    are kept.
    """
    size = stop - start
    numbers = np.arange(start, stop, dtype=np.int64)
    created = population.created_micros[start:stop]
    subscribed = rng.random(size) < SUBSCRIBER_SHARE
    welcomed = rng.random(size) < WELCOME_SHARE
    days_left = np.maximum(spec.end_micros - created, 0) / MICROS_PER_DAY
    newsletters = np.where(subscribed, rng.poisson(NEWSLETTER_PER_DAY * days_left), 0)

    # One block per kind: welcome emails, segment additions, newsletters.
    welcome_owner = numbers[welcomed]
    welcome_time = created[welcomed] + HOUR
    segment_owner = numbers[subscribed]
    segment_time = created[subscribed]
    letter_owner = np.repeat(numbers, newsletters)
    letter_created = np.repeat(created, newsletters)
    letter_time = letter_created + (
        rng.random(len(letter_owner)) * (spec.end_micros - letter_created)
    ).astype(np.int64)

    owners = np.concatenate([welcome_owner, segment_owner, letter_owner])
    times = np.concatenate([welcome_time, segment_time, letter_time])
    kinds = np.concatenate(
        [
            np.zeros(len(welcome_owner), np.int64),
            np.ones(len(segment_owner), np.int64),
            np.full(len(letter_owner), 2, np.int64),
        ]
    )
    keep = times < spec.end_micros
    owners, times, kinds = owners[keep], times[keep], kinds[keep]
    event_numbers = first_number + np.arange(len(owners), dtype=np.int64)
    return pa.table(
        {
            "event_id": id_array("E", event_numbers, 10),
            "contact_id": contact_ids(owners),
            "workflow_id": _labels(kinds, ["wf-welcome", None, "wf-newsletter"]),
            "activity_type": _labels(
                kinds, ["email_sent", "static_segment_added", "email_sent"]
            ),
            "occurred_at": timestamp_array(times // 1_000_000 * 1_000_000),
            "details": _labels(kinds, [None, SUBSCRIBER_SEGMENT, None]),
        }
    )


def _labels(codes: npt.NDArray[np.int64], labels: list[str | None]) -> pa.Array:
    return pa.array(labels, pa.string()).take(pa.array(codes))
