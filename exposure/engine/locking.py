"""A per-profile lock so two scans of one profile never overlap (cron + TUI).

flock locks vanish with the process that held them, so a killed scan never
leaves a stale lock behind; and a scan still marked ``running`` whose
profile's lock is free was killed (SIGKILL, power cut): :func:`reap_stale_scans`
marks it ``interrupted``.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.errors import ExposureError
from exposure.paths import private_dir

if TYPE_CHECKING:
    from exposure.engine.store import Store

log = logging.getLogger(__name__)


class AlreadyScanning(Exception):
    """Another process holds this profile's scan lock."""


class UnsafeLockFile(ExposureError):
    """The lock file is a symlink (or not a regular file): it is never followed."""


def _lock_path(locks_dir: Path, profile: str) -> Path:
    return locks_dir / f"{profile}.lock"


@contextmanager
def scan_lock(locks_dir: Path, profile: str) -> Iterator[None]:
    """Hold ``locks_dir/<profile>.lock`` exclusively; raise AlreadyScanning if taken.

    The file is opened with ``O_NOFOLLOW``: a symlink planted in its place is
    refused, never followed (and its target never truncated).
    """
    private_dir(locks_dir)
    path = _lock_path(locks_dir, profile)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeLockFile(f"the lock file {path} is a symlink; remove it") from None
        raise
    try:
        if not os.path.samestat(os.fstat(fd), os.lstat(path)) or not _regular(fd):
            raise UnsafeLockFile(f"the lock file {path} is not a plain file; remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyScanning(profile) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


def _regular(fd: int) -> bool:
    return stat.S_ISREG(os.fstat(fd).st_mode)


def lock_is_free(locks_dir: Path, profile: str) -> bool:
    """True when no process holds ``profile``'s scan lock (no file counts as free)."""
    try:
        fd = os.open(_lock_path(locks_dir, profile), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # unreadable or a symlink: do not guess
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the shared lock
    return True


def reap_stale_scans(store: Store, locks_dir: Path) -> list[int]:
    """Mark ``interrupted`` every ``running`` scan whose process is gone; their ids.

    The ids are read before the lock is tried, so a scan that starts meanwhile
    (a new id) is never touched. A read-only database is left as it is.
    """
    stale = [
        scan_id for scan_id, profile in store.running_scans() if lock_is_free(locks_dir, profile)
    ]
    if stale:
        try:
            store.mark_interrupted(stale)
        except ExposureError as exc:
            log.info("could not mark stale scans interrupted: %s", exc)
            return []
    return stale
