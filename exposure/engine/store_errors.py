"""The store's errors: one line saying what is wrong with the database, and what to do.

SQLite's (and SQLCipher's) exceptions are English; :func:`friendly` turns
them into a :class:`StoreError` naming the file. :func:`reading` turns an odd
column of one row (engine/rows.py) into :class:`DamagedRow`, naming the row.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from exposure.engine import database, vault
from exposure.engine import rows as col
from exposure.errors import ExposureError
from exposure.textsafe import clean


class StoreError(ExposureError):
    """The database cannot be used (corrupted, locked, unreadable)."""


class DamagedRow(StoreError):
    """A row another program wrote that the store cannot read (engine/rows.py): one line."""


def database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, and SQLCipher's once it is loaded (a locked home)."""
    return database.ERRORS


def read_only_home(folder: Path) -> bool:
    """True when ``folder`` exists on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def tighten(database: Path) -> None:
    """Make the database 0600 if it is not; a read-only home is left as it is."""
    try:
        if database.exists() and stat.S_IMODE(database.stat().st_mode) != 0o600:
            database.chmod(0o600)
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EPERM, errno.EACCES):
            raise


def sealed(path: Path) -> bool:
    """An encrypted database in a locked home (a wrong key reads as 'not a database')."""
    try:
        return vault.is_locked(path.parent) and not database.is_plain(path)
    except OSError:
        return False


def friendly(exc: Exception, path: Path) -> StoreError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"the home folder {path.parent} is read-only: reading commands work, "
            "but this one needs to write"
        )
    if "disk is full" in text or "disk I/O error" in text:
        return StoreError(f"the disk holding {path} is full or failing ({text})")
    if "locked" in text or "busy" in text:
        return StoreError(f"the database {path} is locked by another exposure process; try again")
    if "not a database" in text and sealed(path):
        return StoreError(
            f"the database {path} cannot be read with this home's key: it is damaged, or "
            f"{vault.LOCK_FILE} is not the one it was locked with; it was left as it is"
        )
    if "foreign key mismatch" in text:  # a table rebuilt without its PRIMARY KEY
        return StoreError(
            f"the database {path} is damaged: a table lost the key other tables' rows refer "
            f"to ({text}), as when another program rebuilds it; restore its PRIMARY KEY, or "
            "move the database aside to start afresh"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the database {path} is corrupted ({text}); move it aside to start afresh"
        )
    return StoreError(f"the database {path} cannot be used: {text}")


@contextmanager
def reading(path: Path, table: str, key: object) -> Iterator[None]:
    """An odd column of one row (engine/rows.py) becomes :class:`DamagedRow`, naming it."""
    try:
        yield
    except (col.Odd, TypeError, KeyError) as exc:
        raise DamagedRow(
            f"the database {path} has a damaged {table} row ({clean(key, limit=80)}): "
            f"{clean(exc, limit=200)}; another program may have written it: fix or "
            "delete that row"
        ) from None
