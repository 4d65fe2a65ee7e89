"""Purchases and their lines for one chunk of contacts, as Arrow tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from pipeline.generate.arrow import (
    constant_array,
    decimal_array,
    id_array,
    label_array,
    timestamp_array,
)
from pipeline.generate.catalog import FREE_SHIPPING_ABOVE, Catalog
from pipeline.generate.population import Population
from pipeline.generate.spec import GeneratorSpec

PAYMENT_METHODS = ["card", "paypal", "bank_transfer", "cash_on_delivery"]
PAYMENT_WEIGHTS = [0.6, 0.25, 0.1, 0.05]
WORKFLOWS = ["wf-welcome", "wf-abandoned-cart", "wf-winback", "wf-newsletter"]
ATTRIBUTION_WEIGHTS = [0.2, 0.35, 0.15, 0.3]
SOURCE = "generate"
# Basket shape: merchandise lines per purchase are 1 + NB(0.6, 0.33), mean 2.2 with
# a long tail. Extra units per line are NB(0.4, 0.55), so most lines have 1 unit.
EXTRA_LINES = (0.6, 0.33)
EXTRA_UNITS = (0.4, 0.55)
MAX_MERCHANDISE_LINES = 80
SHIPPING_SHARE = 0.75
EXPRESS_SHARE = 0.2
DISCOUNT_SHARE = 0.08
CART_SHARE = 0.92


@dataclass
class PurchaseChunk:
    """The staged rows of one chunk: purchases, lines, purchased carts, emails."""

    purchases: pa.Table
    lines: pa.Table
    carts: pa.Table
    attribution_emails: pa.Table


@dataclass(frozen=True)
class ChunkBounds:
    """Contacts `start` to `stop - 1`, anonymous purchases, first purchase number."""

    start: int
    stop: int
    anonymous: int
    first_purchase: int


def generate_purchases(
    rng: np.random.Generator,
    spec: GeneratorSpec,
    population: Population,
    catalog: Catalog,
    bounds: ChunkBounds,
    amount_scale: int,
) -> PurchaseChunk:
    """Draw the purchases of a chunk of contacts plus its anonymous purchases."""
    counts = population.purchase_counts[bounds.start : bounds.stop]
    owners = np.repeat(np.arange(bounds.start, bounds.stop, dtype=np.int64), counts)
    known = len(owners)
    size = known + bounds.anonymous
    numbers = bounds.first_purchase + np.arange(size, dtype=np.int64)

    # Times: a buyer's first purchase at arrival, the rest uniform over its life.
    times = np.empty(size, dtype=np.int64)
    alive = population.alive_micros[owners]
    arrival = population.first_purchase_micros[owners]
    times[:known] = arrival + (rng.random(known) * alive).astype(np.int64)
    firsts = np.cumsum(counts) - counts
    times[firsts[counts > 0]] = arrival[firsts[counts > 0]]
    span = spec.end_micros - spec.start_micros
    times[known:] = spec.start_micros + (rng.random(bounds.anonymous) * span).astype(
        np.int64
    )
    times = times // 1_000_000 * 1_000_000

    lines, totals, units = _draw_lines(rng, catalog, size, amount_scale)
    purchase_ids = id_array("P", numbers, 9)
    lines_table = _lines_table(lines, purchase_ids, catalog, amount_scale)

    has_contact = np.arange(size) < known
    local_owner = np.zeros(size, dtype=np.int64)
    local_owner[:known] = owners - bounds.start
    chunk_contacts = id_array(
        "c", np.arange(bounds.start, max(bounds.stop, bounds.start + 1)), 8
    )
    contact_ids = label_array(local_owner, chunk_contacts, has_contact)
    has_cart = rng.random(size) < CART_SHARE
    cart_ids = id_array("C", numbers, 9, valid=has_cart)
    attributed = has_contact & (rng.random(size) < spec.attributed_share)
    workflow = rng.choice(len(WORKFLOWS), size=size, p=ATTRIBUTION_WEIGHTS)
    workflow_ids = label_array(workflow, WORKFLOWS, attributed)
    purchased_at = timestamp_array(times)
    purchases = pa.table(
        {
            "purchase_id": purchase_ids,
            "contact_id": contact_ids,
            "contact_email": pa.nulls(size, pa.string()),
            "purchased_at": purchased_at,
            "total_price": decimal_array(totals, amount_scale),
            "total_quantity": pa.array(units),
            "payment_method": label_array(
                rng.choice(len(PAYMENT_METHODS), size=size, p=PAYMENT_WEIGHTS),
                PAYMENT_METHODS,
            ),
            "cart_id": cart_ids,
            "source": constant_array(SOURCE, size),
            "attributed_workflow_id": workflow_ids,
        }
    )
    carts = pa.table(
        {
            "cart_id": cart_ids,
            "contact_id": contact_ids,
            "status": constant_array("purchased", size),
            "purchase_id": purchase_ids,
            "updated_at": purchased_at,
        }
    ).filter(pa.array(has_cart))

    # Each attributed purchase follows an email of its workflow by 1 to 72 hours.
    lead = (rng.uniform(1, 72, size) * 3_600_000_000).astype(np.int64)
    emails = pa.table(
        {
            "event_id": id_array("EA", numbers, 9),
            "contact_id": contact_ids,
            "workflow_id": workflow_ids,
            "activity_type": constant_array("email_sent", size),
            "occurred_at": timestamp_array(times - lead // 1_000_000 * 1_000_000),
            "details": pa.nulls(size, pa.string()),
        }
    ).filter(pa.array(attributed))
    return PurchaseChunk(purchases, lines_table, carts, emails)


def _draw_lines(
    rng: np.random.Generator, catalog: Catalog, purchases: int, amount_scale: int
) -> tuple[
    dict[str, npt.NDArray[np.int64]], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    """Draw line arrays and return them with each purchase's total price and units.

    Lines of a purchase are its merchandise lines, then a shipping line when the
    purchase ships. Amounts are integers in units of 10**-amount_scale.
    """
    merchandise = 1 + rng.negative_binomial(*EXTRA_LINES, purchases)
    merchandise = np.minimum(merchandise, MAX_MERCHANDISE_LINES)
    ships = rng.random(purchases) < SHIPPING_SHARE
    per_purchase = merchandise + ships
    purchase = np.repeat(np.arange(purchases, dtype=np.int64), per_purchase)
    line_count = len(purchase)
    starts = np.cumsum(per_purchase) - per_purchase
    line_number = np.arange(line_count, dtype=np.int64) - starts[purchase] + 1
    is_shipping = ships[purchase] & (line_number == per_purchase[purchase])

    # Merchandise: Zipf-popular products, mostly one unit, some discounted.
    product = catalog.product_sampler.draw(rng, line_count)
    quantity = 1 + rng.negative_binomial(*EXTRA_UNITS, line_count)
    unit_price = catalog.unit_prices[product]
    discounted = rng.random(line_count) < DISCOUNT_SHARE
    discount = rng.uniform(0.7, 0.9, line_count)
    unit_price = np.where(
        discounted, np.round(unit_price * discount).astype(np.int64), unit_price
    )
    price = quantity * unit_price
    price[is_shipping] = 0
    merchandise_total = np.bincount(purchase, weights=price, minlength=purchases)

    # Shipping: standard or express; standard is free above the threshold.
    express = rng.random(line_count) < EXPRESS_SHARE
    free_above = FREE_SHIPPING_ABOVE * 10**amount_scale
    free = ~express & (merchandise_total[purchase] >= free_above)
    shipping_price = np.where(free, 0, catalog.shipping_prices[express.astype(int)])
    product = np.where(is_shipping, catalog.size + express, product)
    quantity = np.where(is_shipping, 1, quantity)
    unit_price = np.where(is_shipping, shipping_price, unit_price)
    price = np.where(is_shipping, shipping_price, price)

    totals = np.bincount(purchase, weights=price, minlength=purchases)
    units = np.bincount(purchase, weights=quantity, minlength=purchases)
    lines = {
        "purchase": purchase,
        "line_number": line_number,
        "product": product,
        "quantity": quantity.astype(np.int64),
        "unit_price": unit_price.astype(np.int64),
        "price": price.astype(np.int64),
    }
    # Totals stay below 2**53, so the float sums of bincount are exact integers.
    return lines, np.rint(totals).astype(np.int64), np.rint(units).astype(np.int64)


def _lines_table(
    lines: dict[str, npt.NDArray[np.int64]],
    purchase_ids: pa.Array,
    catalog: Catalog,
    amount_scale: int,
) -> pa.Table:
    """Build the staged lines with each line's purchase and product ids.

    Lines leave the product name, brand and categories null, because these only
    describe products missing from the store and the first chunk stages every
    product.
    """
    return pa.table(
        {
            "purchase_id": label_array(lines["purchase"], purchase_ids),
            "line_number": pa.array(lines["line_number"].astype(np.int32)),
            "product_id": label_array(lines["product"], catalog.product_ids),
            "quantity": pa.array(lines["quantity"]),
            "unit_price": decimal_array(lines["unit_price"], amount_scale),
            "price": decimal_array(lines["price"], amount_scale),
        }
    )
