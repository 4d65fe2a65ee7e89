"""The `storepipe` command line: a thin Typer layer over the pipeline core.

Each command parses its options and calls one core function. Errors from the core
become one line on stderr and an exit code from `pipeline.errors.ExitCode`.
"""

from __future__ import annotations

import logging
import sys

import duckdb
import typer

from pipeline.cli import common
from pipeline.errors import ExitCode, StorepipeError

app = common.app
# The shell's convention for a process ended by SIGINT (128 + 2).
INTERRUPTED = 130

# Command modules register themselves on `app` when imported.
from pipeline.cli import (  # noqa: E402
    clv_commands,  # noqa: F401
    fleet_commands,  # noqa: F401
    generate_commands,  # noqa: F401
    import_command,  # noqa: F401
    store_commands,  # noqa: F401
    trust_commands,  # noqa: F401
)


def main() -> None:
    """Run the CLI and map every failure to a one-line error and an exit code."""
    try:
        # Not standalone, so usage errors reach the handler below instead of
        # Typer's boxed panel, and every error reads the same way.
        outcome = app(standalone_mode=False)
    except StorepipeError as exc:
        if common.state.debug:
            logging.getLogger("pipeline").exception("failed")
        print(f"storepipe: error: {one_line(str(exc))}", file=sys.stderr)
        sys.exit(int(exc.exit_code))
    except (KeyboardInterrupt, duckdb.InterruptException):
        # Every write is one commit, so an interrupted command committed either all
        # of a step or nothing of it.
        print(
            "storepipe: error: interrupted; the store keeps its last commit, "
            "rerun the command to finish",
            file=sys.stderr,
        )
        sys.exit(INTERRUPTED)
    except typer.Abort:
        print("storepipe: error: aborted", file=sys.stderr)
        sys.exit(INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the last resort for unexpected bugs
        if _is_usage_error(exc):
            print(f"storepipe: error: {_usage_message(exc)}", file=sys.stderr)
            sys.exit(int(ExitCode.USAGE))
        if common.state.debug:
            raise
        print(
            f"storepipe: error: internal error: {type(exc).__name__}: "
            f"{one_line(str(exc))}; "
            "rerun with --debug for the traceback",
            file=sys.stderr,
        )
        sys.exit(int(ExitCode.INTERNAL))

    # --help and --version end with an exit code instead of raising.
    if isinstance(outcome, int) and outcome:
        sys.exit(outcome)


def _is_usage_error(exc: Exception) -> bool:
    """Tell a command-line usage error (unknown option, missing value) from a bug.

    Typer bundles its own copy of Click, whose usage errors all derive from
    UsageError and carry the command's context.
    """
    return any(kind.__name__ == "UsageError" for kind in type(exc).__mro__)


def _usage_message(exc: Exception) -> str:
    """Return the usage error and where to find the command's options, on one line."""
    message = one_line(getattr(exc, "format_message", lambda: str(exc))())
    message = message.rstrip(".")
    context = getattr(exc, "ctx", None)
    if context is None:
        return f"{message}; see storepipe --help"
    return f"{message}; see {context.command_path} --help"


def one_line(message: str) -> str:
    """Join a multi-line message (DuckDB's often are) into one line."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())
