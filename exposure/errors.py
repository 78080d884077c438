"""Exit statuses and the errors that map to them (the contract in DESIGN.md)."""

from __future__ import annotations

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
    """Bad input: a malformed value, an unknown profile, a broken file. Exit 2."""

    status = ExitStatus.USAGE
