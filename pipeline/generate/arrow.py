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


def id_array(prefix: str, numbers: IntArray, width: int) -> pa.Array:
    """Return ids such as `P000000042`: a prefix and a zero-padded number."""
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def nullable_id_array(
    prefix: str, numbers: IntArray, width: int, valid: npt.NDArray[np.bool_]
) -> pa.Array:
    """Return ids like `id_array`, null where `valid` is false."""
    ids = id_array(prefix, numbers, width)
    return pc.if_else(pa.array(valid), ids, pa.scalar(None, pa.string()))


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
