"""Arrow arrays built from NumPy buffers, in the types the staging tables expect."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

IntArray = npt.NDArray[np.int64]


def decimal_array(units: IntArray, scale: int) -> pa.Array:
    """Return DECIMAL(18, scale) values from integers counted in units of 10**-scale.

    Arrow stores a decimal128 as a 16-byte little-endian integer. The low word is the
    value and the high word its sign extension, so the amounts stay exact.
    """
    words = np.empty((len(units), 2), dtype=np.int64)
    words[:, 0] = units
    words[:, 1] = units >> 63
    return pa.Array.from_buffers(
        pa.decimal128(18, scale), len(units), [None, pa.py_buffer(words)]
    )


def timestamp_array(micros: IntArray) -> pa.Array:
    """Return UTC instants from microseconds since the Unix epoch."""
    values = np.ascontiguousarray(micros, dtype=np.int64)
    return pa.Array.from_buffers(
        pa.timestamp("us", tz="UTC"), len(values), [None, pa.py_buffer(values)]
    )


def id_array(
    prefix: str,
    numbers: IntArray,
    width: int,
    valid: npt.NDArray[np.bool_] | None = None,
) -> pa.Array:
    """Return ids such as `P000000042`: a prefix and a number zero-padded to `width`.

    A number with more than `width` digits keeps all of them. Ids are null where
    `valid` is false.
    """
    values = np.asarray(numbers, dtype=np.int64)
    # Arrow's string offsets are 32-bit, which bounds the characters of one array.
    too_long = (len(values) + 1) * (len(prefix) + width) >= 2**31
    if too_long or len(values) and (values.min() < 0 or values.max() >= 10**width):
        digits = pc.utf8_lpad(pc.cast(pa.array(values), pa.string()), width, "0")
        ids = pc.binary_join_element_wise(prefix, digits, "")
        if valid is None:
            return ids
        return pc.if_else(pa.array(valid), ids, pa.scalar(None, pa.string()))
    return _fixed_width_ids(prefix.encode(), values, width, valid)


def _fixed_width_ids(
    prefix: bytes,
    numbers: IntArray,
    width: int,
    valid: npt.NDArray[np.bool_] | None,
) -> pa.Array:
    """Build ids of numbers below 10**width straight into Arrow's string buffers.

    Every id has the same length, so the offsets are a multiple of it and the
    characters are a 2-D array of bytes. For 500,000 ids this took 0.05 s against
    0.06 to 0.2 s for casting, padding and joining with Arrow compute functions
    (2 shared cores, busy).
    """
    size = len(numbers)
    length = len(prefix) + width
    characters = np.empty((size, length), dtype=np.uint8)
    characters[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    rest = numbers.copy()
    for position in range(length - 1, len(prefix) - 1, -1):
        characters[:, position] = rest % 10 + ord("0")
        rest //= 10
    offsets = np.arange(0, (size + 1) * length, length, dtype=np.int32)
    validity = None
    if valid is not None:
        bits = np.packbits(np.asarray(valid, dtype=bool), bitorder="little")
        validity = pa.py_buffer(bits)
    return pa.Array.from_buffers(
        pa.string(),
        size,
        [validity, pa.py_buffer(offsets), pa.py_buffer(characters)],
    )


def label_array(
    codes: npt.NDArray[np.integer] | npt.NDArray[np.bool_],
    labels: list[str] | pa.Array,
    valid: npt.NDArray[np.bool_] | None = None,
) -> pa.Array:
    """Return a dictionary-encoded array: `labels[code]`, null where not `valid`.

    DuckDB reads a dictionary array as its value type, so repeated strings such as
    a line's product id are stored once per chunk instead of once per row.
    """
    indices = np.asarray(codes, dtype=np.int32)
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    dictionary = (
        labels if isinstance(labels, pa.Array) else pa.array(labels, pa.string())
    )
    return pa.DictionaryArray.from_arrays(pa.array(indices, mask=mask), dictionary)


def constant_array(value: str, size: int) -> pa.Array:
    """Return `size` copies of one string, dictionary-encoded."""
    return label_array(np.zeros(size, dtype=np.int32), [value])
