"""A per-profile lock so two scans of one profile never overlap (cron + TUI)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exposure.paths import private_dir


class AlreadyScanning(Exception):
    """Another process holds this profile's scan lock."""


@contextmanager
def scan_lock(locks_dir: Path, profile: str) -> Iterator[None]:
    """Hold ``locks_dir/<profile>.lock`` exclusively; raise AlreadyScanning if taken.

    flock locks vanish with the process that held them, so a killed scan
    never leaves a stale lock behind.
    """
    private_dir(locks_dir)
    fd = os.open(locks_dir / f"{profile}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyScanning(profile) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
