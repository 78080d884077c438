"""Everything exposure has written (``exposure locate --footprint``).

So a person knows what someone else with their laptop could find: the home's
files with their sizes (folders of many files summed), the database and its
write-ahead files, caches, scan-lock files, the session key in the runtime
folder, cron entries, the lock's keyring entry, and case files exported
outside the home (listed from the database when it can be read without
asking for the passphrase).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exposure.engine import rows as col
from exposure.engine import vault
from exposure.engine.store_errors import reading
from exposure.paths import DATABASE_SUFFIXES, Paths

# What each top-level name in the home is.
_KINDS = {
    "config.toml": "config",
    vault.LOCK_FILE: "lock (wrapped key, no personal data)",
    "profiles": "profiles",
    "evidence": "evidence captures and attachments",
    "locks": "scan-lock files (named by profile id)",
    "brokers.d": "your broker catalogue additions",
    "tui-visits.json": "TUI: when you last looked at each profile",
    "sites-disabled.json": "sites `sources check` found broken",
    "demo": "demo catalogues",
    ".exposure-demo": "demo marker",
}


@dataclass(frozen=True)
class Item:
    kind: str
    where: str  # a path, or a description (a cron entry, a keyring entry)
    size: int | None = None  # bytes; None when not a file
    files: int = 0  # for a folder: how many files it holds

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "size": self.size, "files": self.files}


def _folder(path: Path) -> tuple[int, int]:
    count = size = 0
    for dirpath, _dirs, names in os.walk(path):
        for name in names:
            try:
                size += (Path(dirpath) / name).lstat().st_size
            except OSError:
                continue
            count += 1
    return count, size


def _home_items(where: Paths, folder: Path) -> Iterator[Item]:
    is_cache = folder == where.cache_dir
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = entry.name
        if entry.is_symlink():
            yield Item("symlink (not followed)", str(entry))
            continue
        if entry.is_dir():
            if is_cache or entry == where.cache_dir:
                for sub in sorted(entry.rglob("*")):
                    if sub.is_file():
                        yield Item("cache", str(sub), sub.lstat().st_size)
                continue
            count, size = _folder(entry)
            yield Item(_KINDS.get(name, "folder"), str(entry), size, count)
            continue
        if any(name == where.database.name + s for s in DATABASE_SUFFIXES):
            kind = "database" if name == where.database.name else "database journal"
        elif is_cache:
            kind = "cache"
        elif name in _KINDS:
            kind = _KINDS[name]
        elif name.startswith(".") and name.endswith(".tmp"):
            kind = "unfinished write"
        else:
            kind = "file you asked for here (report, export)"
        yield Item(kind, str(entry), entry.lstat().st_size)


def _folders(where: Paths) -> list[Path]:
    out: list[Path] = []
    for folder in (where.data_dir, where.config_dir, where.cache_dir):
        if folder.is_dir() and not any(folder.is_relative_to(o) for o in out):
            out.append(folder)
    return out


def _cron(tabfile: Path | None) -> Iterator[Item]:
    from exposure.engine import schedule
    from exposure.errors import ExposureError

    if tabfile is None and shutil.which("crontab") is None:
        return
    try:
        for entry in schedule.entries(tabfile):
            yield Item("cron entry", f"{entry.when}: {entry.command}  # {entry.tag}")
    except ExposureError as exc:
        yield Item("cron (could not read)", str(exc))


def _exports(where: Paths) -> Iterator[Item]:
    """Case files exported outside the home, as the database remembers them."""
    if not where.database.exists():
        return
    if vault.needs_passphrase(where.data_dir):
        yield Item("case-file exports", "not listed: the home is locked (unlock to list them)")
        return
    from exposure.engine.store import DamagedRow, Store, StoreError

    try:
        with Store(where.database, where.evidence_dir) as store:
            rows = store.query("SELECT id, path FROM casefile_exports ORDER BY id")
            texts = []
            for r in rows:
                with reading(store.path, "casefile_exports", f"id {r['id']}"):
                    texts.append(col.required(r, "path"))
    except DamagedRow as exc:
        yield Item("case-file exports", f"not listed: {exc}")
        return
    except (StoreError, vault.VaultError):
        return
    root = where.data_dir.resolve()
    for text in texts:
        path = Path(text)
        if path.exists() and not path.resolve().is_relative_to(root):
            yield Item("case-file export (outside the home)", str(path), path.stat().st_size)


def footprint(where: Paths, *, tabfile: Path | None = None) -> list[Item]:
    """Every trace of the tool this process can see."""
    items: list[Item] = []
    for folder in _folders(where):
        items.extend(_home_items(where, folder))
    if vault.is_locked(where.data_dir):
        session = vault.session_file(where.data_dir)
        if session is not None and session.exists():
            items.append(Item("unlocked session key (RAM)", str(session), session.stat().st_size))
        if vault.keyring_key(where.data_dir) is not None:
            items.append(
                Item(
                    "keyring entry (lock key)",
                    f"service 'exposure', {vault.keyring_user(where.data_dir)}",
                )
            )
    items.extend(_exports(where))
    items.extend(_cron(tabfile))
    return items
