"""Weighted draws that equal NumPy's `Generator.choice` with probabilities, faster."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Guide buckets per outcome: more buckets leave fewer outcomes to step over.
BUCKETS_PER_OUTCOME = 4


class WeightedSampler:
    """Draws outcome indices with fixed probabilities, like `rng.choice(n, size, p=p)`.

    `Generator.choice` with `p` (NumPy 2.4) draws `rng.random(size)` and returns,
    for each number u, the first index whose cumulative probability exceeds u, found
    by binary search. This class takes the same numbers and finds the same indices
    with a guide table. The unit interval is cut into equal buckets, and each bucket
    stores the first index that its numbers can map to. A draw starts there and
    steps forward. tests/generate/test_sampling.py checks that draws and the generator
    state afterwards equal `choice`. For 1.4 million draws from 50,000 products it
    took 0.1 to 0.3 s against 0.6 s for `choice` (2 shared cores, busy).
    """

    def __init__(self, probabilities: npt.NDArray[np.float64]) -> None:
        cumulative = np.cumsum(np.asarray(probabilities, dtype=np.float64))
        cumulative /= cumulative[-1]
        self._cumulative = cumulative
        self._buckets = BUCKETS_PER_OUTCOME * len(cumulative)
        self._bounds = np.arange(self._buckets + 1) / self._buckets
        self._first = np.searchsorted(cumulative, self._bounds, side="right")

    def draw(self, rng: np.random.Generator, size: int) -> npt.NDArray[np.int64]:
        """Return `size` outcome indices drawn with `rng`."""
        numbers = rng.random(size)
        bucket = np.minimum(
            (numbers * self._buckets).astype(np.int64), self._buckets - 1
        )
        # Correct float rounding, so that bounds[bucket] <= u < bounds[bucket + 1].
        bucket -= self._bounds[bucket] > numbers
        bucket += self._bounds[bucket + 1] <= numbers
        index = self._first[bucket]
        last = self._first[bucket + 1]
        # The result lies in [index, last], so step each draw past every cumulative
        # probability that is not above its number.
        pending = np.flatnonzero(index < last)
        while pending.size:
            pending = pending[self._cumulative[index[pending]] <= numbers[pending]]
            index[pending] += 1
            pending = pending[index[pending] < last[pending]]
        return index
