"""One chunk of generated rows, in the shape of the staging tables."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass
class StagedChunk:
    """The rows of one chunk, keyed by staging table name (`stage_lines`, ...).

    A table may come in parts whose Arrow types differ (dictionary or plain strings).
    """

    number: int
    tables: dict[str, list[pa.Table]]

    def rows(self, name: str) -> int:
        """Return the number of rows staged for `name` in this chunk."""
        return sum(part.num_rows for part in self.tables.get(name, []))

    @property
    def purchases(self) -> int:
        return self.rows("stage_purchases")

    @property
    def lines(self) -> int:
        return self.rows("stage_lines")
