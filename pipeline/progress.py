"""Progress reporting of long commands: the core calls, the CLI layer draws."""

from __future__ import annotations

from collections.abc import Callable

# Called after each step as (step name, steps done, steps in total). The core calls
# it only when one is given; it must not raise.
StepProgress = Callable[[str, int, int], None]
