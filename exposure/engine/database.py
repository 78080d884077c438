"""Open the database: plain SQLite, or SQLCipher when the home is locked.

Which one is decided by the file itself and the lock: a file that starts
with SQLite's plain header is opened with :mod:`sqlite3` (a home that is not
locked, or one whose ``lock init`` was interrupted before the database was
converted); anything else — or a new database in a locked home — is opened
with ``sqlcipher3`` and the home's database key (a raw key, so SQLCipher does
not run its own PBKDF2 on every open). ``sqlcipher3`` is imported only then:
an unlocked home never pays for it.

Both modules raise their own exception classes; :data:`ERRORS` holds every
class that may come out, and grows when ``sqlcipher3`` is loaded.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from exposure.engine import vault

PLAIN_HEADER = b"SQLite format 3\x00"

ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)


def sqlcipher() -> Any:
    """The ``sqlcipher3`` module (the ``lock`` extra), or LockUnavailable."""
    global ERRORS
    try:
        import sqlcipher3
    except ImportError:
        raise vault.LockUnavailable(
            f"the locked database needs SQLCipher; {vault.EXTRA_HINT}"
        ) from None
    if sqlcipher3.Error not in ERRORS:
        ERRORS = (*ERRORS, sqlcipher3.Error)
    return sqlcipher3


def is_plain(path: Path) -> bool:
    """True for a plain SQLite file (or an empty/missing one in a home that is not locked)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return not vault.is_locked(path.parent)
    if not head:
        return not vault.is_locked(path.parent)
    return head == PLAIN_HEADER


def connect(path: Path, *, timeout: float) -> Any:
    """A DB-API connection to ``path`` with rows as mappings, encrypted when it must be.

    The home is ``path``'s folder. Raises :class:`exposure.engine.vault.Locked`
    when the database is encrypted and no key can be had.
    """
    if is_plain(path) or not vault.is_locked(path.parent):
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        return db
    key = vault.key_for(path.parent)
    assert key is not None  # the home is locked: a key, or Locked was raised
    module = sqlcipher()
    db = module.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    db.execute(key.sqlcipher_pragma())
    db.execute("PRAGMA cipher_log_level = NONE")
    db.row_factory = module.Row
    return db


def encrypt_copy(plain: Path, target: Path, key: vault.Key) -> None:
    """Write ``target``: the whole of the plain database ``plain``, encrypted with ``key``."""
    module = sqlcipher()
    db = module.connect(str(plain), isolation_level=None)
    try:
        db.execute("PRAGMA cipher_log_level = NONE")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        quoted = str(target).replace("'", "''")
        db.execute(f"ATTACH DATABASE '{quoted}' AS sealed KEY \"x'{key.database_key.hex()}'\"")
        db.execute("SELECT sqlcipher_export('sealed')")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute(f"PRAGMA sealed.user_version = {int(version)}")
        db.execute("DETACH DATABASE sealed")
    finally:
        db.close()
