"""The SQLite store: scans, checks, findings and evidence.

WAL mode with a busy timeout so a TUI and a cron scan can share the file;
schema migrations are numbered by ``PRAGMA user_version``. Every check and
finding is committed as it arrives, so a scan killed half-way keeps what
finished. Evidence captures are content-addressed files (``evidence/ab/abcd…``)
written once, 0600, with their SHA-256 and UTC capture time in the database.

A finding's life across rescans: ``open`` when first seen; ``gone`` when a
later scan checked its source with a definite answer and did not see it;
``back`` when it is seen again after being gone. A source that was blocked or
failed proves nothing, so it never makes a finding ``gone``.
"""

from __future__ import annotations

import errno
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from exposure.engine import rows as col
from exposure.engine import seen, store_rows, vault
from exposure.engine.database import connect, is_plain
from exposure.engine.schema import MIGRATIONS, encode, statements
from exposure.engine.store_errors import (
    DamagedRow,
    StoreError,
    database_errors,
    friendly,
    read_only_home,
    reading,
    tighten,
)
from exposure.model import (
    Capture,
    Check,
    Coverage,
    Evidence,
    Finding,
    FindingFacts,
    ScanSummary,
    iso,
    utcnow,
)
from exposure.paths import private_dir

__all__ = ["MIGRATIONS", "DamagedRow", "Store", "StoreError", "database_errors", "read_only_home"]

log = logging.getLogger(__name__)


class Store:
    """One connection to the database; use from one thread (the scan runner's)."""

    def __init__(self, database: Path, evidence_dir: Path, busy_timeout: float = 10.0):
        self.path = database
        self.evidence_dir = evidence_dir
        self.captures_missing = 0  # captures that could not be written this session
        self.disk_full = False  # a capture failed with ENOSPC/EDQUOT
        if read_only_home(database.parent):
            self._open_read_only(database, busy_timeout)
            return
        private_dir(database.parent)
        try:
            self.db = connect(database, timeout=busy_timeout)
            tighten(database)
            self.db.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL keeps the database consistent through any crash; a
            # power cut may lose the last commits, a killed process loses nothing.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except database_errors() as exc:
            raise friendly(exc, database) from None

    @classmethod
    def open_current(cls) -> Store:
        from exposure import paths

        where = paths.current()
        return cls(where.database, where.evidence_dir)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes in one transaction (the scan runner's burst of results)."""
        with self._tx():
            yield

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.db.in_transaction:  # inside batch(): the outer transaction commits
            yield self.db
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except database_errors() as exc:
            raise friendly(exc, self.path) from None

    def _open_read_only(self, database: Path, busy_timeout: float) -> None:
        """A home on a read-only file system: reading commands work, writes fail in one line.

        ``immutable`` tells SQLite nobody can change the file (true on a
        read-only mount), so it needs no -wal/-shm files it could not create.
        """
        if not database.exists():
            raise friendly(sqlite3.OperationalError("readonly: no database yet"), database)
        try:
            if is_plain(database):
                uri = f"{database.resolve().as_uri()}?mode=ro&immutable=1"
                self.db = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=busy_timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
                self.db.row_factory = sqlite3.Row
            else:
                self.db = connect(database, timeout=busy_timeout)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version != len(MIGRATIONS):
                raise friendly(sqlite3.OperationalError("readonly: needs an upgrade"), database)
        except database_errors() as exc:
            raise friendly(exc, database) from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the database {self.path} was written by a newer exposure (schema {version})"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._tx() as db:
                if callable(script):
                    script(db)
                else:
                    for statement in statements(script):
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={number}")

    # -- scans -----------------------------------------------------------------

    def begin_scan(self, profile: str, checkers: Iterable[str]) -> ScanSummary:
        started = utcnow()
        with self._tx() as db:
            # A scan still 'running' for this profile was killed: the caller holds the
            # profile's scan lock, so nothing else can be running it now.
            db.execute(
                "UPDATE scans SET state = 'interrupted' WHERE profile = ? AND state = 'running'",
                (profile,),
            )
            cur = db.execute(
                "INSERT INTO scans (profile, started_at, state, checkers) VALUES (?, ?, ?, ?)",
                (profile, iso(started), "running", json.dumps(sorted(checkers))),
            )
        assert cur.lastrowid is not None
        return ScanSummary(
            profile=profile,
            scan_id=cur.lastrowid,
            started_at=started,
            finished_at=None,
            state="running",
        )

    def running_scans(self) -> list[tuple[int, str]]:
        """``(scan id, profile)`` of every scan still marked ``running``."""
        out = []
        for r in self._query("SELECT id, profile FROM scans WHERE state = 'running'"):
            with reading(self.path, "scans", f"id {r['id']}"):
                out.append((col.integer(r, "id") or 0, col.required(r, "profile")))
        return out

    def mark_interrupted(self, scan_ids: Iterable[int]) -> None:
        """Mark these scans ``interrupted`` if they are still ``running`` (their process died)."""
        with self._tx() as db:
            for scan_id in scan_ids:
                db.execute(
                    "UPDATE scans SET state = 'interrupted' WHERE id = ? AND state = 'running'",
                    (scan_id,),
                )

    def record_check(self, scan_id: int, check: Check) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO checks (scan_id, checker, source, status, url, detail, elapsed_ms,"
                " opt_out) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scan_id,
                    check.checker,
                    check.source,
                    check.status.value,
                    check.url,
                    check.detail,
                    check.elapsed_ms,
                    encode(check.opt_out) if check.opt_out else None,
                ),
            )

    def record_finding(self, scan_id: int, profile: str, finding: Finding) -> Finding:
        """Insert or update ``finding``; returns it with id, new, first/last_seen, evidence."""
        fid = finding.stable_id(profile)
        now = utcnow()
        with self._tx() as db:
            for page in finding.related:  # a detail page: in the evidence locker, not the latest
                self._store_capture(db, page, scan_id, profile, fid)
            capture_id = self._store_capture(db, finding.capture, scan_id, profile, fid)
            row = db.execute(
                "SELECT first_seen, first_scan, status, capture_id FROM findings"
                " WHERE profile = ? AND id = ?",
                (profile, fid),
            ).fetchone()
            values = (
                finding.checker,
                finding.source,
                finding.kind.value,
                finding.key,
                finding.title,
                finding.url,
                finding.confidence,
                json.dumps(finding.reasons),
                json.dumps(finding.matched, default=str),
                encode(FindingFacts.of(finding)),
            )
            if row is None:
                db.execute(
                    "INSERT INTO findings (checker, source, kind, key, title, url, confidence,"
                    " reasons, matched, facts, profile, id, status, first_seen, last_seen,"
                    " first_scan, last_scan, capture_id)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open',?,?,?,?,?)",
                    (*values, profile, fid, iso(now), iso(now), scan_id, scan_id, capture_id),
                )
            else:
                status = "back" if row["status"] == "gone" else row["status"]
                db.execute(
                    "UPDATE findings SET checker=?, source=?, kind=?, key=?, title=?, url=?,"
                    " confidence=?, reasons=?, matched=?, facts=?, status=?, last_seen=?,"
                    " last_scan=?, capture_id=COALESCE(?, capture_id) WHERE profile=? AND id=?",
                    (*values, status, iso(now), scan_id, capture_id, profile, fid),
                )
            db.execute(
                "INSERT OR IGNORE INTO sightings (scan_id, profile, finding_id) VALUES (?, ?, ?)",
                (scan_id, profile, fid),
            )
        stored = self.finding(profile, fid, scan_id=scan_id)
        assert stored is not None
        return stored

    def _store_capture(
        self,
        db: sqlite3.Connection,
        capture: Capture | None,
        scan_id: int,
        profile: str,
        finding_id: str,
    ) -> int | None:
        if capture is None:
            return None
        sha = capture.sha256
        rel = f"{sha[:2]}/{sha}"
        target = self.evidence_dir / rel
        if not target.exists():
            try:
                vault.write_blob(target, capture.body, durable=False, home=self.path.parent)
            except OSError as exc:
                # Keep the finding (committed with the rest of its batch); only its
                # capture is missing. The runner stops the scan on a full disk.
                self.captures_missing += 1
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    self.disk_full = True
                log.warning("capture of %s not written: %s", capture.url, exc.strerror or exc)
                return None
        db.execute(
            "INSERT OR IGNORE INTO evidence (sha256, path, size, content_type) VALUES (?,?,?,?)",
            (sha, rel, len(capture.body), capture.content_type),
        )
        cur = db.execute(
            "INSERT INTO captures (sha256, url, final_url, captured_at, scan_id, profile,"
            " finding_id, method) VALUES (?,?,?,?,?,?,?,?)",
            (
                sha,
                capture.url,
                capture.final_url,
                iso(capture.captured_at),
                scan_id,
                profile,
                finding_id,
                capture.method.value,
            ),
        )
        return cur.lastrowid

    def finish_scan(self, summary: ScanSummary, state: str = "finished") -> ScanSummary:
        """Close the scan; on a finished scan, mark findings whose source said otherwise gone.

        A finding is gone only when every check of its source in this scan gave a
        definite answer: one blocked or failed check (say, for another of the
        person's usernames on the same site) leaves it as it was.
        """
        finished = utcnow()
        with self._tx() as db:
            db.execute(
                "UPDATE scans SET finished_at = ?, state = ? WHERE id = ?",
                (iso(finished), state, summary.scan_id),
            )
            if state == "finished":
                db.execute(
                    """
                    UPDATE findings SET status = 'gone'
                    WHERE profile = ? AND status IN ('open', 'back')
                      AND id NOT IN (SELECT finding_id FROM sightings WHERE scan_id = ?)
                      AND EXISTS (
                        SELECT 1 FROM checks c WHERE c.scan_id = ?
                          AND c.checker = findings.checker AND c.source = findings.source
                          AND c.status IN ('found', 'absent'))
                      AND NOT EXISTS (
                        SELECT 1 FROM checks c WHERE c.scan_id = ?
                          AND c.checker = findings.checker AND c.source = findings.source
                          AND c.status NOT IN ('found', 'absent'))
                    """,
                    (summary.profile, summary.scan_id, summary.scan_id, summary.scan_id),
                )
        return replace(summary, finished_at=finished, state=state)

    def scans(self, profile: str) -> list[ScanSummary]:
        """The profile's scans, oldest first, each with its coverage and score."""
        rows = self._query("SELECT * FROM scans WHERE profile = ? ORDER BY id", (profile,))
        return [store_rows.scan(self.path, r) for r in rows]

    def set_coverage(self, scan_id: int, coverage: Coverage) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE scans SET coverage = ? WHERE id = ?",
                (json.dumps(coverage.to_dict()), scan_id),
            )

    def coverage(self, scan_id: int) -> Coverage | None:
        """The scan's recorded coverage; for a scan from before coverage, counted from its checks.

        None for an unknown scan id.
        """
        rows = self._query("SELECT coverage, checkers FROM scans WHERE id = ?", (scan_id,))
        if not rows:
            return None
        recorded = store_rows.coverage_of(rows[0]["coverage"])
        if recorded is not None:
            return recorded
        with reading(self.path, "scans", f"id {scan_id}"):
            checkers = col.strings(rows[0], "checkers")
        return Coverage.from_checks(self.checks(scan_id), checkers=checkers)

    def checks(self, scan_id: int) -> list[Check]:
        rows = self._query("SELECT * FROM checks WHERE scan_id = ? ORDER BY id", (scan_id,))
        return [store_rows.check(self.path, r) for r in rows]

    def query(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a read (for modules that keep their own tables, e.g. the case file)."""
        return self._query(sql, args)

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        try:
            return self.db.execute(sql, args).fetchall()
        except database_errors() as exc:
            raise friendly(exc, self.path) from None

    def finding(self, profile: str, finding_id: str, scan_id: int | None = None) -> Finding | None:
        rows = self._finding_rows("f.profile = ? AND f.id = ?", (profile, finding_id))
        if not rows:
            return None
        return store_rows.finding(self.path, rows[0], scan_id)

    def findings(
        self,
        profile: str,
        *,
        scan_id: int | None = None,
        min_confidence: float = 0.0,
        include_gone: bool = True,
        include_rejected: bool = False,
    ) -> list[Finding]:
        """The profile's findings; with ``scan_id``, only those seen in that scan.

        The person's verdicts count: a finding they marked "not me" is left out
        (unless ``include_rejected``), so the same record is never reported
        again as a match; one they confirmed ("me") is kept whatever its score.
        """
        where = "f.profile = ?"
        args: list[object] = [profile]
        if scan_id is not None:
            where += " AND f.id IN (SELECT finding_id FROM sightings WHERE scan_id = ?)"
            args.append(scan_id)
        if not include_gone:
            where += " AND f.status != 'gone'"
        verdicts = self.verdicts(profile)
        if include_rejected:  # "not me" ones too, as if unmarked
            verdicts = {k: v for k, v in verdicts.items() if v != seen.NOT_ME}
        rows = self._finding_rows(where, tuple(args))
        found = [store_rows.finding(self.path, r, scan_id) for r in rows]
        return [f for f in found if seen.shown(f, verdicts.get(f.id), min_confidence)]

    def _finding_rows(self, where: str, args: tuple[object, ...]) -> list[sqlite3.Row]:
        return self._query(
            "SELECT f.*, c.sha256 AS ev_sha, c.url AS ev_url, c.final_url AS ev_final,"
            " c.captured_at AS ev_at, c.method AS ev_method, e.path AS ev_path FROM findings f"
            " LEFT JOIN captures c ON c.id = f.capture_id"
            " LEFT JOIN evidence e ON e.sha256 = c.sha256"
            f" WHERE {where} ORDER BY f.confidence DESC, f.source, f.id",
            args,
        )

    def captures(self, profile: str) -> list[dict[str, Any]]:
        """Every capture of the profile's findings, oldest first, with its finding's kind.

        :meth:`findings` gives only each finding's latest capture; the evidence
        locker keeps them all.
        """
        rows = self._query(
            "SELECT c.finding_id, c.url, c.final_url, c.captured_at, c.sha256, c.method, e.path,"
            " e.size, e.content_type,"
            " f.source, f.kind, f.checker, f.title FROM captures c"
            " JOIN evidence e ON e.sha256 = c.sha256"
            " LEFT JOIN findings f ON f.profile = c.profile AND f.id = c.finding_id"
            " WHERE c.profile = ? ORDER BY c.captured_at, c.id",
            (profile,),
        )
        out = []
        for r in rows:
            with reading(self.path, "captures", f"of finding {r['finding_id']}"):
                row = {k: col.text(r, k) for k in r.keys() if k != "size"}  # noqa: SIM118
                out.append({**row, "size": col.integer(r, "size", optional=True) or 0})
        return out

    def evidence_file(self, evidence: Evidence) -> Path:
        return self.evidence_dir / evidence.path

    # -- scores, checklist state, verdicts -------------------------------------

    def set_score(self, scan_id: int, score: float) -> None:
        with self._tx() as db:
            db.execute("UPDATE scans SET score = ? WHERE id = ?", (score, scan_id))

    def scores(self, profile: str) -> list[tuple[int, datetime, float]]:
        """(scan id, started at, score) of the profile's scored scans, oldest first."""
        rows = self._query(
            "SELECT id, started_at, score FROM scans WHERE profile = ? AND score IS NOT NULL"
            " ORDER BY id",
            (profile,),
        )
        out = []
        for r in rows:
            with reading(self.path, "scans", f"id {r['id']}"):
                started = col.time(r, "started_at") or utcnow()
                out.append((col.integer(r, "id") or 0, started, col.number(r, "score") or 0.0))
        return out

    def checklist_state(self, profile: str) -> dict[str, tuple[str, datetime]]:
        """item id -> (status, when it changed) for items the person or a rescan touched."""
        rows = self._query(
            "SELECT item_id, status, changed_at FROM checklist_state WHERE profile = ?",
            (profile,),
        )
        out = {}
        for r in rows:
            with reading(self.path, "checklist_state", f"item {r['item_id']}"):
                changed = col.time(r, "changed_at", optional=True) or utcnow()
                out[col.required(r, "item_id")] = (col.required(r, "status"), changed)
        return out

    def set_checklist_state(self, profile: str, item_id: str, status: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO checklist_state (profile, item_id, status, changed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (profile, item_id)"
                " DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at",
                (profile, item_id, status, iso(utcnow())),
            )

    def verdicts(self, profile: str) -> dict[str, str]:
        """finding id -> 'me' | 'not_me', as the person marked them."""
        rows = self._query("SELECT finding_id, verdict FROM verdicts WHERE profile = ?", (profile,))
        out = {}
        for r in rows:
            with reading(self.path, "verdicts", f"finding {r['finding_id']}"):
                out[col.required(r, "finding_id")] = col.choice(r, "verdict", seen.VERDICTS)
        return out

    def set_verdict(self, profile: str, finding_id: str, verdict: str | None) -> None:
        """Remember 'me' / 'not_me' for a finding; None forgets the verdict."""
        if verdict is not None and verdict not in seen.VERDICTS:
            raise ValueError(f"verdict must be 'me' or 'not_me', not {verdict!r}")
        with self._tx() as db:
            if verdict is None:
                db.execute(
                    "DELETE FROM verdicts WHERE profile = ? AND finding_id = ?",
                    (profile, finding_id),
                )
            else:
                db.execute(
                    "INSERT INTO verdicts (profile, finding_id, verdict, decided_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (profile, finding_id)"
                    " DO UPDATE SET verdict = excluded.verdict, decided_at = excluded.decided_at",
                    (profile, finding_id, verdict, iso(utcnow())),
                )
