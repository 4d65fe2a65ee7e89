"""Domain exceptions and the exit codes the CLI maps them to."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes of every storepipe command; scripts may rely on them."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    BAD_INPUT = 3
    STORE_BUSY = 4
    DATA_CHECK_FAILED = 5


class StorepipeError(Exception):
    """Base class: a failure with a one-line message fit for the user."""

    exit_code = ExitCode.INTERNAL


class UsageError(StorepipeError):
    """A command was called wrongly: missing store, bad option value."""

    exit_code = ExitCode.USAGE


class BadInputError(StorepipeError):
    """An input file or id is invalid; nothing was written."""

    exit_code = ExitCode.BAD_INPUT


class StoreBusyError(StorepipeError):
    """Another process holds the store's write lock."""

    exit_code = ExitCode.STORE_BUSY


class DataCheckError(StorepipeError):
    """Recomputed outputs failed a consistency check and were not published."""

    exit_code = ExitCode.DATA_CHECK_FAILED

    def __init__(self, message: str, failures: list[str] | None = None) -> None:
        super().__init__(message)
        self.failures = failures or [message]
