"""Forgetting a person (``exposure forget PROFILE``) or the whole home (``forget --all``).

Forgetting a profile removes, in this order: every database row about it
(scans, checks, findings, sightings, verdicts, checklist state, captures and
their screenshots, incidents with their versions and attachments, case-file
exports, removal requests), the evidence files no other profile still uses,
files under the home that name the person (reports, case files the tool was
asked to write there), its entry in the TUI's visits file, its cron entries
and its scan-lock file; then the database is compacted (``VACUUM`` with
``secure_delete``, and the write-ahead log checkpointed and truncated) so the
freed pages do not keep the old text. The profile file goes last: a forget
that was interrupted is finished by running it again, because until then the
profile is still there to name what to look for.

What deleting cannot promise (SSD wear-levelling, copy-on-write file systems,
backups, swap, a terminal's scrollback) is in the README.
"""

from __future__ import annotations

import errno
import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exposure.engine import rows as col
from exposure.engine import vault
from exposure.engine.store_errors import database_errors, friendly, reading
from exposure.errors import ExposureError, UsageError
from exposure.paths import Paths, data_files

# What lives in a home besides files the person asked for (reports, case files).
_OWN_DIRS = frozenset({"profiles", "evidence", "locks", "cache", "demo", "brokers.d"})
_OWN_FILES = frozenset({"config.toml", vault.LOCK_FILE, ".exposure-demo", "tui-visits.json"})
# A home being forgotten as a whole carries this mark until it is gone.
FORGETTING_MARK = ".exposure-forgetting"
CONFIRM_ALL = "forget everything"


class _NoCron(Exception):
    """No crontab program: there can be no cron entry."""


class ForgetError(ExposureError):
    """Forgetting could not finish; running it again continues where it stopped."""


@dataclass
class ForgetReport:
    profile: str
    rows: int = 0
    evidence_files: int = 0
    other_files: list[Path] = field(default_factory=list)
    cron_entries: int = 0
    profile_file: Path | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "forgotten": self.profile,
            "database_rows": self.rows,
            "evidence_files": self.evidence_files,
            "files": [str(p) for p in self.other_files],
            "cron_entries": self.cron_entries,
            "profile_file": str(self.profile_file) if self.profile_file else None,
            "notes": self.notes,
        }


# --------------------------------------------------------------------------- what to look for


def identifiers(profile: Any) -> tuple[bytes, ...]:
    """The person's names, emails and phones in the forms a file may hold them (UTF-8)."""
    texts: set[str] = set()
    for value in (*profile.names, *profile.emails):
        if len(value.strip()) >= 3:
            texts.add(value.strip())
    for phone in profile.phones:
        texts.update(_phone_forms(phone))
    return tuple(sorted({t.encode("utf-8") for t in texts}, key=len, reverse=True))


def _phone_forms(e164: str) -> set[str]:
    forms = {e164}
    digits = "".join(c for c in e164 if c.isdigit())
    if len(digits) >= 7:
        forms.add(digits)
    try:
        import phonenumbers

        number = phonenumbers.parse(e164, None)
        fmt = phonenumbers.PhoneNumberFormat
        for style in (fmt.INTERNATIONAL, fmt.NATIONAL):
            forms.add(phonenumbers.format_number(number, style))
        national = str(number.national_number)
        if len(national) >= 7:
            forms.add(national)
    except Exception:  # a phone the library cannot read: the stored form is enough
        pass
    return forms


def mentions(body: bytes, needles: Iterable[bytes]) -> bool:
    """Whether ``body`` holds a needle as UTF-8, in any letter case, or as UTF-16."""
    lower = body.lower()
    for needle in needles:
        low = needle.lower()
        if needle in body or low in lower:
            return True
        text = needle.decode("utf-8", "replace")
        if text.encode("utf-16-le") in body or text.lower().encode("utf-16-le") in lower:
            return True
    return False


# --------------------------------------------------------------------------- the database


def _profile_rows(db: Any, profile: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(DELETE statement, parameters) for every row about ``profile``, children first."""
    p = (profile,)
    scans = "SELECT id FROM scans WHERE profile = ?"
    caps = "SELECT id FROM captures WHERE profile = ?"
    incs = "SELECT id FROM incidents WHERE profile = ?"
    yield f"DELETE FROM screenshots WHERE capture_id IN ({caps})", p
    yield "DELETE FROM sightings WHERE profile = ?", p
    yield f"DELETE FROM sightings WHERE scan_id IN ({scans})", p
    yield "DELETE FROM findings WHERE profile = ?", p
    yield "DELETE FROM captures WHERE profile = ?", p
    yield f"DELETE FROM checks WHERE scan_id IN ({scans})", p
    yield "DELETE FROM scans WHERE profile = ?", p
    yield "DELETE FROM checklist_state WHERE profile = ?", p
    yield "DELETE FROM verdicts WHERE profile = ?", p
    yield f"DELETE FROM incident_attachments WHERE incident_id IN ({incs})", p
    yield f"DELETE FROM incident_versions WHERE incident_id IN ({incs})", p
    yield "DELETE FROM incidents WHERE profile = ?", p
    yield "DELETE FROM casefile_exports WHERE profile = ?", p
    yield "DELETE FROM requests WHERE profile = ?", p


_ORPHAN_EVIDENCE = """
    SELECT sha256, path FROM evidence WHERE
        sha256 NOT IN (SELECT sha256 FROM captures)
        AND sha256 NOT IN (SELECT sha256 FROM screenshots WHERE sha256 IS NOT NULL)
        AND sha256 NOT IN (SELECT sha256 FROM incident_attachments)
"""


def has_rows(store: Any, profile: str) -> bool:
    db = store.db
    for table in ("scans", "findings", "captures", "incidents", "requests", "checklist_state"):
        if db.execute(f"SELECT 1 FROM {table} WHERE profile = ? LIMIT 1", (profile,)).fetchone():
            return True
    return False


def _in_database(where: Paths, profile: str) -> bool:
    """Rows left by a profile whose file is gone (``profile remove``, an interrupted forget)."""
    from exposure.engine.store import Store

    if not where.database.exists():
        return False
    with Store(where.database, where.evidence_dir) as store:
        return has_rows(store, profile)


def _purge_rows(store: Any, profile: str) -> tuple[int, list[Path], list[Path]]:
    """Delete the profile's rows in one transaction: (rows, evidence files, export files).

    A database error (a table another program rebuilt without its keys, a full
    disk) is the store's one line; nothing is deleted.
    """
    try:
        return _purge(store, profile)
    except database_errors() as exc:
        raise friendly(exc, store.path) from None


def _purge(store: Any, profile: str) -> tuple[int, list[Path], list[Path]]:
    db = store.db
    exports = []
    for r in db.execute("SELECT id, path FROM casefile_exports WHERE profile = ?", (profile,)):
        with reading(store.path, "casefile_exports", f"id {r['id']}"):
            if text := col.text(r, "path"):  # NULL: no file to look for; the row goes
                exports.append(Path(text))
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master"
        " WHERE type = 'trigger' AND tbl_name = 'incident_versions'"
    ).fetchall()
    rows = 0
    db.execute("PRAGMA secure_delete = ON")  # deleted cells are zeroed, not just unlinked
    db.execute("BEGIN IMMEDIATE")
    try:
        # The incident log is append-only for everyone but the person forgetting it.
        for name, _sql in triggers:
            db.execute(f'DROP TRIGGER "{name}"')
        for statement, params in _profile_rows(db, profile):
            rows += max(db.execute(statement, params).rowcount, 0)
        for _name, sql in triggers:
            db.execute(sql)
        orphans = db.execute(_ORPHAN_EVIDENCE).fetchall()
        db.execute(
            f"DELETE FROM evidence WHERE sha256 IN (SELECT sha256 FROM ({_ORPHAN_EVIDENCE}))"
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    files = [store.evidence_dir / r[1] for r in orphans]
    return rows, files, exports


def compact(store: Any) -> None:
    """Rewrite the database without freed pages, and empty the write-ahead log into it."""
    db = store.db
    db.execute("PRAGMA secure_delete = ON")
    db.execute("VACUUM")
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy is not None and busy[0]:
        raise ForgetError(
            "another exposure process (the TUI, a scan) has the database open, so its "
            "freed pages could not be cleared; close it and run forget again"
        )


# --------------------------------------------------------------------------- files


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _readable(path: Path, home: Path) -> bytes | None:
    try:
        return vault.read_blob(path, home=home)
    except (OSError, vault.VaultError):
        return None


def loose_files(where: Paths) -> Iterator[Path]:
    """Files in the home that are not the tool's own structure: reports, case files."""
    database = {p.name for p in where.database_files}
    yield from data_files(where, skip_dirs=_OWN_DIRS, skip_files=_OWN_FILES | database)


def _forget_visit(where: Paths, profile: str) -> None:
    path = where.data_dir / "tui-visits.json"
    if not path.exists():
        return
    try:
        data = json.loads(vault.read_text(path, home=where.data_dir))
    except (OSError, ValueError, vault.VaultError):
        data = None
    if not isinstance(data, dict):
        _unlink(path)  # damaged: losing it only makes old findings look new once
        return
    if profile in data:
        del data[profile]
        vault.write_blob(path, json.dumps(data), home=where.data_dir)


def _cron(where: Paths, profile: str, tabfile: Path | None, report: ForgetReport) -> None:
    from exposure.engine import schedule

    if tabfile is None and shutil.which("crontab") is None:
        return  # no cron here, so no entry
    try:
        tab = schedule.open_tab(tabfile)
    except ExposureError as exc:
        report.notes.append(f"could not look for its cron entry: {exc}")
        return
    home = schedule.current_home()
    tags = {f"{schedule.TAG_PREFIX}{profile}", f"{schedule.TAG_PREFIX}guardian:{profile}"}
    gone = []
    for job in list(tab):
        if job.comment not in tags:
            continue
        pinned = "EXPOSURE_HOME=" in job.command
        ours = home is not None and str(home) in job.command if pinned else home is None
        if ours:
            gone.append(job)
    for job in gone:
        tab.remove(job)
    if gone:
        schedule.save_tab(tab, tabfile)
    report.cron_entries = len(gone)


# --------------------------------------------------------------------------- one profile


def forget_profile(where: Paths, profile_id: str, *, tabfile: Path | None = None) -> ForgetReport:
    """Remove everything the home holds about ``profile_id``; see the module doc."""
    from exposure.engine.locking import AlreadyScanning, scan_lock
    from exposure.engine.store import Store
    from exposure.people.profile import ProfileStore, validate_id

    profile_id = validate_id(profile_id)
    profiles = ProfileStore(where)
    person = profiles.get(profile_id) if profiles.exists(profile_id) else None
    report = ForgetReport(profile_id)
    if person is None and not _in_database(where, profile_id):
        raise profiles._unknown(profile_id)  # one line; nothing created
    try:
        with scan_lock(where.locks_dir, profile_id):
            store = Store(where.database, where.evidence_dir) if where.database.exists() else None
            try:
                if store is not None:
                    rows, evidence, exports = _purge_rows(store, profile_id)
                    report.rows = rows
                    for path in evidence:
                        if _unlink(path):
                            report.evidence_files += 1
                        _prune_empty(path.parent, where.evidence_dir)
                    for path in exports:
                        if path.resolve().is_relative_to(where.data_dir.resolve()) and _unlink(
                            path
                        ):
                            report.other_files.append(path)
                if person is None:
                    report.notes.append(
                        "its profile file was already gone, so reports under the home that "
                        "name the person could not be recognised; check them by hand"
                    )
                else:
                    needles = identifiers(person)
                    for path in list(loose_files(where)):
                        body = _readable(path, where.data_dir)
                        if body is not None and needles and mentions(body, needles):
                            _unlink(path)
                            report.other_files.append(path)
                _forget_visit(where, profile_id)
                _cron(where, profile_id, tabfile, report)
                if store is not None:
                    compact(store)
            finally:
                if store is not None:
                    store.close()
    except AlreadyScanning:
        raise UsageError(
            f"profile {profile_id!r} is being scanned right now; wait for it or stop it, "
            "then run forget again"
        ) from None
    _unlink(where.locks_dir / f"{profile_id}.lock")
    if person is not None:
        report.profile_file = profiles.path(profile_id)
        _unlink(report.profile_file)
        wards = profiles.wards(profile_id)
        for ward in wards:
            report.notes.append(f"profile {ward!r} still names {profile_id!r} as its guardian")
    return report


# --------------------------------------------------------------------------- the whole home


@dataclass
class HomeReport:
    removed: list[Path] = field(default_factory=list)
    cron_entries: int = 0
    keyring: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "removed": [str(p) for p in self.removed],
            "cron_entries": self.cron_entries,
            "keyring_entry_removed": self.keyring,
            "notes": self.notes,
        }


def home_folders(where: Paths) -> list[Path]:
    """The folders that make up the home (one when EXPOSURE_HOME is set)."""
    out: list[Path] = []
    for folder in (where.data_dir, where.config_dir, where.cache_dir):
        if not any(folder == o or folder.is_relative_to(o) for o in out):
            out.append(folder)
    return out


def _looks_like_home(folder: Path) -> bool:
    marks = ("config.toml", "exposure.db", "profiles", vault.LOCK_FILE, FORGETTING_MARK)
    return any((folder / m).exists() for m in marks) or folder.name == "exposure"


def _refuse(folder: Path) -> str | None:
    resolved = folder.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        return f"{folder} is a system or home folder, not an exposure home; nothing removed"
    if resolved.is_dir() and not _looks_like_home(resolved):
        return f"{folder} does not look like an exposure home (no config, database or profiles)"
    return None


def forget_home(where: Paths, *, tabfile: Path | None = None) -> HomeReport:
    """Remove the whole home: every folder, its cron entries and its keyring entry."""
    from exposure.engine import schedule

    report = HomeReport()
    folders = home_folders(where)
    for folder in folders:
        problem = _refuse(folder)
        if problem:
            raise UsageError(problem)
    try:
        if tabfile is None and shutil.which("crontab") is None:
            raise _NoCron
        tab = schedule.open_tab(tabfile)
        home = schedule.current_home()
        gone = [
            job
            for job in tab
            if (job.comment or "").startswith(schedule.TAG_PREFIX)
            and ((home is not None and home in job.command) or home is None)
        ]
        for job in gone:
            tab.remove(job)
        if gone:
            schedule.save_tab(tab, tabfile)
        report.cron_entries = len(gone)
    except _NoCron:
        pass
    except ExposureError as exc:
        report.notes.append(f"could not look for cron entries: {exc}")
    report.keyring = vault.is_locked(where.data_dir) and vault.remove_from_keyring(where.data_dir)
    vault.end_session(where.data_dir)
    vault.forget_keys()
    for folder in folders:
        if not folder.exists():
            continue
        try:
            (folder / FORGETTING_MARK).touch()
            shutil.rmtree(folder)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                continue
            raise ForgetError(
                f"could not remove {folder}: {exc.strerror or exc}; run forget --all again"
            ) from None
        report.removed.append(folder)
    return report
