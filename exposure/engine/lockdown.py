"""Locking a home (``exposure lock init``) and changing its passphrase (``lock change``).

``init`` writes ``lock.json`` first, then seals every personal file in the
data folder and converts the database to SQLCipher. Until it finishes, a
half-converted home still works (plain files and a plain database are read as
they are), and running ``lock init`` again with the same passphrase finishes
the job. What is *not* sealed, because it holds nothing about the person: the
config, downloaded catalogues (the cache), ``brokers.d`` additions, the scan
lock files and ``lock.json`` itself.

Deleting a plain file after sealing it frees its blocks; it does not wipe
them (see the README on SSDs and backups).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from exposure.engine import database, vault
from exposure.errors import UsageError
from exposure.paths import Paths, data_files, write_private

# Catalogues and settings: nothing in them is about the person. ("demo" holds the
# demo's catalogues, which a kept demo folder's rescans read as plain files.)
NOT_SENSITIVE = frozenset(
    {vault.LOCK_FILE, "config.toml", "cache", "locks", "brokers.d", "demo", ".exposure-demo"}
)


class HomeBusy(vault.VaultError):
    """Another exposure process has the database open."""


@dataclass(frozen=True)
class LockReport:
    sealed_files: int
    database_converted: bool
    finished_earlier_run: bool


def personal_files(where: Paths) -> Iterator[Path]:
    """Every file in the data folder that may say something about the person."""
    database = {p.name for p in where.database_files}
    skip = NOT_SENSITIVE | database
    for path in data_files(
        where, skip_dirs=NOT_SENSITIVE, skip_files=skip, skip_tree=where.cache_dir
    ):
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            continue  # a write that never finished
        yield path


def plain_leftovers(where: Paths) -> list[Path]:
    """Personal files (and the database) still in plain text."""
    left = []
    for path in personal_files(where):
        with path.open("rb") as fh:
            if not vault.is_sealed(fh.read(len(vault.MAGIC))):
                left.append(path)
    if where.database.exists() and database.is_plain(where.database):
        left.append(where.database)
    return left


def _seal_in_place(path: Path, key: vault.Key) -> bool:
    raw = path.read_bytes()
    if vault.is_sealed(raw):
        return False
    write_private(path, key.seal(raw))
    return True


def _convert_database(where: Paths, key: vault.Key) -> bool:
    db_path = where.database
    if not db_path.exists() or not database.is_plain(db_path):
        return False
    _only_user(db_path)
    tmp = db_path.with_name(f".{db_path.name}.sealing.tmp")
    tmp.unlink(missing_ok=True)
    try:
        database.encrypt_copy(db_path, tmp, key)
        os.chmod(tmp, 0o600)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    for side_file in where.database_files:
        if side_file != db_path:
            side_file.unlink(missing_ok=True)
    return True


def _only_user(db_path: Path) -> None:
    """Refuse to convert while another process uses the database (its writes would be lost)."""

    db = sqlite3.connect(db_path, timeout=0.5, isolation_level=None)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = db.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
    except sqlite3.Error:
        raise HomeBusy(
            "another exposure process (a scan, the terminal UI) is using the home; "
            "close it and run this again — nothing was changed in the database"
        ) from None
    finally:
        db.close()


def lock_init(where: Paths, passphrase: str, kdf: vault.Scrypt | None = None) -> LockReport:
    """Lock the home with ``passphrase``, or finish an interrupted ``lock init``."""
    if not passphrase:
        raise UsageError("the passphrase must not be empty")
    database.sqlcipher()  # both optional packages, before anything changes
    vault.new_data_key().seal(b"")
    lock_file = vault.lock_path(where.data_dir)
    earlier = lock_file.exists()
    if earlier:
        if not plain_leftovers(where):
            raise UsageError(
                "this home is already locked; `exposure lock change` changes the passphrase"
            )
        key = vault.unlock(passphrase, where.data_dir)  # WrongPassphrase: nothing touched
    else:
        key = vault.new_data_key()
        write_private(lock_file, vault.LockFile.create(passphrase, key.data_key, kdf).to_json())
        vault.remember(key, where.data_dir)
    sealed = sum(_seal_in_place(p, key) for p in list(personal_files(where)))
    converted = _convert_database(where, key)
    return LockReport(sealed, converted, earlier)


def lock_change(where: Paths, old: str, new: str, kdf: vault.Scrypt | None = None) -> None:
    """Wrap the same data key with ``new``; a wrong ``old`` changes nothing."""
    lock_file = vault.lock_path(where.data_dir)
    if not lock_file.exists():
        raise UsageError("this home is not locked; `exposure lock init` locks it")
    if not new:
        raise UsageError("the new passphrase must not be empty")
    current = vault.LockFile.load(lock_file)
    key = current.open(old)
    write_private(lock_file, vault.LockFile.create(new, key.data_key, kdf or current.kdf).to_json())
    vault.remember(key, where.data_dir)
