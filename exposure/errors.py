"""Exit statuses and the errors that map to them (the contract in DESIGN.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # finished, nothing new
    FAILED = 1  # the run failed
    USAGE = 2  # usage or input error, one-line message
    NEW_FINDINGS = 3  # finished and at least one new finding
    INTERRUPTED = 130  # Ctrl-C; what finished is kept


class ExposureError(Exception):
    """An error with a one-line message for the user and an exit status."""

    status = ExitStatus.FAILED


class UsageError(ExposureError):
    """Bad input: a malformed value, an unknown profile, a broken file. Exit 2.

    ``field`` names the input it is about when there is one (a profile field
    such as ``phones``, a config key), so a front end can point at it.
    """

    status = ExitStatus.USAGE

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class CheckerInputError(UsageError):
    """A checker's input (a catalogue file such as ``--sites``, an option) is unusable."""


@contextmanager
def about(field: str) -> Iterator[None]:
    """A :class:`UsageError` raised inside is about ``field`` (unless it already names one)."""
    try:
        yield
    except UsageError as exc:
        if exc.field is None:
            exc.field = field
        raise
