"""Rendering of result frames for stdout: a readable table, CSV or JSON lines."""

from __future__ import annotations

from typing import Literal

import polars as pl

OutputFormat = Literal["table", "csv", "json"]


def render(frame: pl.DataFrame, output_format: OutputFormat) -> str:
    """Render a frame as a Markdown table, CSV with a header, or JSON lines."""
    if output_format == "csv":
        return frame.write_csv().rstrip("\n")
    if output_format == "json":
        return frame.write_ndjson().rstrip("\n")
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        tbl_formatting="MARKDOWN",
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_width_chars=10_000,
        fmt_str_lengths=1_000,
        fmt_table_cell_list_len=20,
    ):
        return str(frame)
