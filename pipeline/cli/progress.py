"""Rich progress bars on stderr for the core's StepProgress callbacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.cli.common import on_terminal
from pipeline.progress import StepProgress


@contextmanager
def step_progress(label: str) -> Iterator[StepProgress | None]:
    """Yield a callback that draws a step bar on stderr, or None off a terminal.

    Off a terminal stderr carries only diagnostics, so nothing is drawn there.
    """
    if not on_terminal():
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None, status="starting")

        def advance(step: str, done: int, total: int) -> None:
            status = f"{done}/{total} steps, {step} done"
            bar.update(task, completed=done, total=total, status=status)

        yield advance
