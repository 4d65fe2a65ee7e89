"""Generate a synthetic store chunk by chunk and write it into the lake tables."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from pipeline.errors import UsageError
from pipeline.generate.activity import open_carts, workflow_activity
from pipeline.generate.catalog import build_catalog, build_related_products
from pipeline.generate.chunk import StagedChunk
from pipeline.generate.population import Population, contacts_table, draw_population
from pipeline.generate.purchases import ChunkBounds, generate_purchases
from pipeline.generate.spec import GeneratorSpec
from pipeline.generate.write import write_chunk
from pipeline.runs import RunRecord
from pipeline.store import Store

log = logging.getLogger(__name__)

# Random streams: each part of the store draws from its own stream of the seed, so
# a chunk's rows depend only on the seed, the spec and the chunk's number.
POPULATION_STREAM = 0
CATALOG_STREAM = 1
RELATED_STREAM = 2
CHUNK_STREAM = 3

Progress = Callable[[int], None]


@dataclass
class GenerateResult:
    """Counts of what was generated and written, and the seconds it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def lines_per_second(self) -> float:
        return self.counts.get("lines", 0) / self.seconds if self.seconds else 0.0


def random_stream(
    spec: GeneratorSpec, stream: int, chunk: int = 0
) -> np.random.Generator:
    """Return the generator of one stream (and chunk) of the spec's seed."""
    return np.random.default_rng([spec.seed, stream, chunk])


def chunk_bounds(spec: GeneratorSpec, population: Population) -> list[ChunkBounds]:
    """Split contacts into chunks of about `spec.chunk_purchases` purchases each.

    A contact's purchases stay in one chunk, and the anonymous purchases are spread
    over the chunks in proportion to their size.
    """
    counts = population.purchase_counts
    known = int(counts.sum())
    chunks = max(1, -(-spec.purchases // spec.chunk_purchases))
    cumulative = np.cumsum(counts)
    targets = known * np.arange(1, chunks) / chunks
    edges = [
        0,
        *np.searchsorted(cumulative, targets, side="right").tolist(),
        len(counts),
    ]
    anonymous_edges = np.round(
        population.anonymous_purchases * np.arange(chunks + 1) / chunks
    ).astype(int)
    bounds = []
    first_purchase = 1
    for number in range(chunks):
        start, stop = edges[number], edges[number + 1]
        anonymous = int(anonymous_edges[number + 1] - anonymous_edges[number])
        bounds.append(ChunkBounds(start, stop, anonymous, first_purchase))
        first_purchase += int(counts[start:stop].sum()) + anonymous
    return bounds


def generate_chunks(spec: GeneratorSpec, amount_scale: int) -> Iterator[StagedChunk]:
    """Yield the store's rows chunk by chunk; the first chunk holds the catalog.

    Memory use is the per contact arrays (32 bytes per contact, more while they
    are drawn) plus one chunk of rows at a time.
    """
    spec.validate()
    population = draw_population(random_stream(spec, POPULATION_STREAM), spec)
    catalog = build_catalog(
        random_stream(spec, CATALOG_STREAM), spec.product_count, amount_scale
    )
    next_cart = 1
    next_event = 1
    for number, bounds in enumerate(chunk_bounds(spec, population)):
        rng = random_stream(spec, CHUNK_STREAM, number)
        chunk = generate_purchases(rng, spec, population, catalog, bounds, amount_scale)
        carts = open_carts(rng, spec, population, bounds.start, bounds.stop, next_cart)
        activity = workflow_activity(
            rng, spec, population, bounds.start, bounds.stop, next_event
        )
        next_cart += carts.num_rows
        next_event += activity.num_rows
        contacts = contacts_table(rng, population, bounds.start, bounds.stop)
        tables = {
            "stage_purchases": [chunk.purchases],
            "stage_lines": [chunk.lines],
            "stage_contacts": [contacts],
            "stage_carts": [chunk.carts, carts],
            "stage_workflow_activity": [chunk.attribution_emails, activity],
        }
        if number == 0:
            related = build_related_products(
                random_stream(spec, RELATED_STREAM), catalog
            )
            tables["stage_products"] = [catalog.products]
            tables["stage_related_products"] = [related]
        yield StagedChunk(number, tables)


def generate_store(
    store: Store,
    spec: GeneratorSpec,
    record: RunRecord,
    progress: Progress | None = None,
) -> GenerateResult:
    """Generate a store into an empty `store`, one commit per chunk.

    A background thread draws the next chunk while the current one is written, so
    memory contains the chunk being written and the next one. The manifest records the
    drawing thread's seconds as `generate.draw` and the seconds that writing waited
    for it as `generate.draw_wait`. `progress`, when given, is called with the
    number of purchases written so far. A failure leaves the chunks committed
    before it in place.
    """
    _check_empty(store)
    result = GenerateResult(counts={"purchases": 0, "lines": 0, "chunks": 0})
    started = time.perf_counter()
    drawing = 0.0
    waiting = 0.0
    # On a failed write, closing the generator shuts down the drawing thread once
    # its current chunk is drawn.
    with contextlib.closing(
        _drawn_ahead(generate_chunks(spec, store.amount_scale))
    ) as drawn:
        while True:
            wait_started = time.perf_counter()
            item = next(drawn, None)
            waiting += time.perf_counter() - wait_started
            if item is None:
                break
            chunk, draw_seconds = item
            drawing += draw_seconds
            write_chunk(store, chunk, record)
            _count_chunk(result, chunk)
            if progress is not None:
                progress(result.counts["purchases"])
    result.seconds = time.perf_counter() - started
    record.timings["generate.draw"] = round(drawing, 4)
    record.timings["generate.draw_wait"] = round(waiting, 4)
    record.timings["generate.total"] = round(result.seconds, 4)
    record.counts.update({f"generate.{k}": v for k, v in result.counts.items()})
    log.info(
        "generated %d purchases, %d lines in %.2fs (%.0f lines/s; drawing %.2fs, "
        "%.2fs of it not overlapped)",
        result.counts["purchases"],
        result.counts["lines"],
        result.seconds,
        result.lines_per_second,
        drawing,
        waiting,
    )
    return result


def _drawn_ahead(
    chunks: Iterator[StagedChunk],
) -> Generator[tuple[StagedChunk, float]]:
    """Yield each chunk with its drawing seconds, drawing the next one meanwhile.

    NumPy, Arrow and DuckDB release the GIL for most of their work, so drawing in a
    worker thread overlaps with the caller's writes. Chunks are drawn in order, so
    the rows do not depend on the timing.
    """

    def draw_next() -> tuple[StagedChunk, float] | None:
        draw_started = time.perf_counter()
        chunk = next(chunks, None)
        if chunk is None:
            return None
        return chunk, time.perf_counter() - draw_started

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="draw") as pool:
        pending = pool.submit(draw_next)
        while (item := pending.result()) is not None:
            pending = pool.submit(draw_next)
            yield item


def _count_chunk(result: GenerateResult, chunk: StagedChunk) -> None:
    result.counts["purchases"] += chunk.purchases
    result.counts["lines"] += chunk.lines
    result.counts["chunks"] += 1
    for name in chunk.tables:
        key = name.removeprefix("stage_")
        if key not in ("purchases", "lines"):
            result.counts[key] = result.counts.get(key, 0) + chunk.rows(name)


def _check_empty(store: Store) -> None:
    row = store.con.execute("SELECT count(*) FROM lake.purchases").fetchone()
    existing = int(row[0]) if row else 0
    if existing:
        raise UsageError(
            f"store {store.path} already contains {existing} purchases; "
            "generate into a new store path"
        )
