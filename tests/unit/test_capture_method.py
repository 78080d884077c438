"""How a capture was obtained (fetched, rendered by browser, saved by you) survives the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from exposure.engine.store import MIGRATIONS, Store
from exposure.model import Capture, CaptureMethod, Finding, FindingKind


def record(store: Store, method: CaptureMethod, key: str) -> Finding:
    finding = Finding(
        checker="brokers",
        source="peoplefinderz",
        kind=FindingKind.PERSON_RECORD,
        key=key,
        url=f"http://127.0.0.1/record/{key}",
        confidence=0.9,
        capture=Capture(body=key.encode(), url="http://127.0.0.1/s", final_url="", method=method),
    )
    scan = store.begin_scan("jane", ["brokers"])
    stored = store.record_finding(scan.scan_id, "jane", finding)
    store.finish_scan(scan)
    return stored


def test_each_capture_says_how_it_was_obtained(tmp_path: Path) -> None:
    with Store(tmp_path / "db", tmp_path / "ev") as store:
        for method in CaptureMethod:
            stored = record(store, method, method.name.lower())
            assert stored.evidence is not None
            assert stored.evidence.method is method
            assert stored.evidence.to_dict()["method"] == method.value
        methods = {row["method"] for row in store.captures("jane")}
    assert methods == {
        "fetched",
        "rendered by browser",
        "saved by you",
        "read in a browser window with you",
    }


def test_captures_from_before_the_migration_are_fetched(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "db")
    for script in MIGRATIONS[:2]:
        db.executescript(script)
    db.execute("PRAGMA user_version=2")
    db.execute(
        "INSERT INTO captures (sha256, url, final_url, captured_at, scan_id, profile, finding_id)"
        " VALUES ('ab', 'u', 'u', '2026-01-01T00:00:00Z', 1, 'jane', 'f')"
    )
    db.commit()
    db.close()
    with Store(tmp_path / "db", tmp_path / "ev") as store:
        row = store.db.execute("SELECT method FROM captures").fetchone()
    assert row[0] == "fetched"
