"""Crash safety: a scan killed half-way, two scans at once, a database held by someone else.

Scans run as real subprocesses against a slow local server (tests/faultweb.py),
so SIGKILL, concurrent writers and SQLite's locking behave as they do for
cron and the TUI. The database is inspected with plain ``sqlite3``.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faultweb import ABSENT_TEXT, FOUND_TEXT, FaultWeb

from exposure import paths
from exposure.cli import main
from exposure.engine.store import Store

SITES = 240
CONFIG = """
concurrency = 8

[http]
retries = 0
per_host_concurrency = 8
min_interval = 0.0
"""


@pytest.fixture
def web() -> Iterator[FaultWeb]:
    with FaultWeb() as server:
        yield server


@pytest.fixture
def catalogue(web: FaultWeb, exposure_home: Path, tmp_path: Path) -> Path:
    """SITES sites on our server, every third one with an account (so findings land)."""
    exposure_home.mkdir(parents=True, exist_ok=True)
    (exposure_home / "config.toml").write_text(CONFIG, encoding="utf-8")
    entries = [
        {
            "name": f"Site{n:03d}",
            "uri_check": web.url(f"{'found' if n % 3 == 0 else 'absent'}/{n}/{{account}}"),
            "e_code": 200,
            "e_string": FOUND_TEXT,
            "m_code": 404,
            "m_string": ABSENT_TEXT,
            "known": ["someone"],
            "cat": "misc",
        }
        for n in range(SITES)
    ]
    path = tmp_path / "sites.json"
    path.write_text(json.dumps({"sites": entries}), encoding="utf-8")
    return path


def add_profile(name: str) -> None:
    assert (
        main(["profile", "add", name, "--name", f"{name.title()} Doe", "--username", f"{name}doe"])
        == 0
    )


def start_scan(profile: str, catalogue: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "exposure.cli",
            "scan",
            "--profile",
            profile,
            "--only",
            "sites",
            "--sites",
            str(catalogue),
            "--format",
            "json",
            "--quiet",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def database() -> Path:
    return paths.current().database


def query(sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """One read on a fresh connection (the scan process is writing meanwhile)."""
    db = sqlite3.connect(database(), timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if condition():
                return
        except sqlite3.Error:
            pass  # not created yet, or mid-migration
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def checks_of(scan_id: object) -> int:
    return int(query("SELECT COUNT(*) FROM checks WHERE scan_id = ?", (scan_id,))[0][0])


# ----------------------------------------------------------------------------- SIGKILL


def test_sigkill_half_way_keeps_what_finished_and_the_next_scan_works(
    web: FaultWeb, catalogue: Path
) -> None:
    add_profile("jane")
    web.delay = 0.25  # 240 sites, 8 at a time: ~7.5 s, plenty of time to kill it half-way
    scan = start_scan("jane", catalogue)
    try:
        wait_for(lambda: checks_of(1) >= 40, 30, "40 checks of the first scan")
        os.kill(scan.pid, signal.SIGKILL)
    finally:
        scan.kill()
        scan.communicate()
    assert scan.returncode == -signal.SIGKILL

    assert query("PRAGMA integrity_check") == [("ok",)]
    assert query("PRAGMA foreign_key_check") == []
    assert query("SELECT id, state, finished_at FROM scans") == [(1, "running", None)]
    kept = checks_of(1)
    assert 40 <= kept < SITES
    statuses = dict(query("SELECT status, COUNT(*) FROM checks WHERE scan_id = 1 GROUP BY status"))
    assert set(statuses) <= {"found", "absent"}  # nothing half-written or mislabelled
    findings = query("SELECT id, first_scan, capture_id FROM findings WHERE profile = 'jane'")
    assert findings and all(first == 1 and capture for _, first, capture in findings)
    # Every committed capture's file is there and whole.
    where = paths.current()
    for sha, rel in query("SELECT c.sha256, e.path FROM captures c JOIN evidence e USING (sha256)"):
        body = (where.evidence_dir / str(rel)).read_bytes()
        assert hashlib.sha256(body).hexdigest() == sha

    # The next scan marks the killed one interrupted as it begins, then completes.
    again = start_scan("jane", catalogue)
    try:
        wait_for(lambda: len(query("SELECT id FROM scans")) == 2, 30, "the second scan's row")
        assert query("SELECT state FROM scans WHERE id = 1") == [("interrupted",)]
        web.delay = 0.0
        out, err = again.communicate(timeout=60)
    finally:
        again.kill()
    assert b"Traceback" not in err, err.decode()
    assert again.returncode in (0, 3), err.decode()
    doc = json.loads(out)
    assert doc["scan_id"] == 2 and len(doc["checks"]) == SITES
    assert query("SELECT state FROM scans WHERE id = 2") == [("finished",)]
    assert checks_of(1) == kept  # the killed scan's record is left as it was
    assert checks_of(2) == SITES
    assert query("PRAGMA integrity_check") == [("ok",)]
    # Findings of the killed scan are kept, and not reported as new a second time.
    survivors = {fid for fid, _, _ in findings}
    fresh = {f["id"] for f in doc["findings"] if f["new"]}
    assert survivors and not survivors & fresh
    assert len(query("SELECT id FROM findings WHERE profile = 'jane'")) == SITES // 3
    assert again.returncode == (3 if fresh else 0)


# ---------------------------------------------------------------------- two at once


def test_two_profiles_scanned_at_once_on_one_database(web: FaultWeb, catalogue: Path) -> None:
    """Cron scans one profile while the TUI scans another: WAL + busy timeout, both whole."""
    add_profile("jane")
    add_profile("john")
    web.delay = 0.1  # ~3 s each, so the two really overlap
    with Store.open_current():  # the TUI's open connection, for good measure
        scans = [start_scan("jane", catalogue), start_scan("john", catalogue)]
        results = []
        try:
            for scan in scans:
                out, err = scan.communicate(timeout=90)
                results.append((scan.returncode, out, err))
        finally:
            for scan in scans:
                scan.kill()
    for status, out, err in results:
        assert b"Traceback" not in err and b"locked" not in err, err.decode()
        assert status == 3, err.decode()  # every third site has an account: new findings
        assert len(json.loads(out)["checks"]) == SITES
    rows = query("SELECT profile, state, started_at, finished_at, id FROM scans ORDER BY id")
    assert sorted(r[0] for r in rows) == ["jane", "john"]
    assert all(r[1] == "finished" for r in rows)
    (_, _, start_a, end_a, id_a), (_, _, start_b, end_b, id_b) = rows
    assert str(start_b) < str(end_a) and str(start_a) < str(end_b)  # they did overlap
    assert checks_of(id_a) == checks_of(id_b) == SITES
    per_profile = dict(query("SELECT profile, COUNT(*) FROM findings GROUP BY profile"))
    assert per_profile == {"jane": SITES // 3, "john": SITES // 3}
    assert query("PRAGMA integrity_check") == [("ok",)]


# ------------------------------------------------------------------- a held database


def test_database_held_by_another_writer_gives_one_clear_line(
    web: FaultWeb, catalogue: Path
) -> None:
    """Another writer holds a transaction past the busy timeout (10 s): exit 1, one line."""
    add_profile("jane")
    Store.open_current().close()  # the database exists, migrated, in WAL mode
    holder = sqlite3.connect(database(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # held until the scan has given up
    try:
        started = time.monotonic()
        scan = start_scan("jane", catalogue)
        out, err = scan.communicate(timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    lines = err.decode().strip().splitlines()
    assert scan.returncode == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith("exposure: error: the database ")
    assert "is locked by another exposure process" in lines[0]
    assert out == b""
    assert waited >= 9.5  # it did wait out the busy timeout first
    assert web.hits.get("found", 0) + web.hits.get("absent", 0) == 0  # nothing was asked
    # Once the other writer is done, scanning works.
    web.delay = 0.0
    scan = start_scan("jane", catalogue)
    out, err = scan.communicate(timeout=60)
    assert scan.returncode == 3, err.decode()
    assert query("SELECT state FROM scans") == [("finished",)]
