from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest

from exposure.engine.store import MIGRATIONS, Store, StoreError
from exposure.model import Capture, Check, Finding, FindingKind, Outcome


def make_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / "exposure.db", tmp_path / "data" / "evidence")


def account(source: str = "GitHub", body: bytes = b"<html>jane</html>") -> Finding:
    return Finding(
        checker="sites",
        source=source,
        kind=FindingKind.ACCOUNT,
        key=f"{source.lower()}:jane",
        url=f"https://{source.lower()}.example/jane",
        confidence=0.7,
        reasons=["why"],
        capture=Capture(body=body, url="https://x.example/jane", final_url="https://x.example/j"),
    )


def test_schema_version_and_wal(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    mode = stat.S_IMODE(store.path.stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    store.close()
    # Opening again does not re-run migrations.
    make_store(tmp_path).close()


def test_finding_is_new_only_in_its_first_scan(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    first = store.begin_scan("jane", ["sites"])
    stored = store.record_finding(first.scan_id, "jane", account())
    store.record_check(first.scan_id, Check("sites", "GitHub", Outcome.FOUND))
    store.finish_scan(first)
    assert stored.new and stored.status == "open"
    assert stored.id == account().stable_id("jane")

    second = store.begin_scan("jane", ["sites"])
    again = store.record_finding(second.scan_id, "jane", account())
    assert not again.new
    assert again.id == stored.id
    assert again.first_seen == stored.first_seen


def test_evidence_is_content_addressed_and_private(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    scan = store.begin_scan("jane", ["sites"])
    stored = store.record_finding(scan.scan_id, "jane", account(body=b"page one"))
    assert stored.evidence is not None
    path = store.evidence_file(stored.evidence)
    assert path.read_bytes() == b"page one"

    assert stored.evidence.sha256 == hashlib.sha256(b"page one").hexdigest()
    assert stored.evidence.final_url == "https://x.example/j"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The same body stored twice is one file.
    store.record_finding(scan.scan_id, "jane", account("GitLab", body=b"page one"))
    assert len(list(store.evidence_dir.rglob("*"))) == 2  # one folder, one file


def test_gone_needs_a_definite_answer_and_back_when_it_returns(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    s1 = store.begin_scan("jane", ["sites"])
    store.record_finding(s1.scan_id, "jane", account("GitHub"))
    store.record_finding(s1.scan_id, "jane", account("GitLab"))
    store.finish_scan(s1)

    # Scan 2: GitHub says absent; GitLab was blocked -> unknown, so GitLab stays open.
    s2 = store.begin_scan("jane", ["sites"])
    store.record_check(s2.scan_id, Check("sites", "GitHub", Outcome.ABSENT))
    store.record_check(s2.scan_id, Check("sites", "GitLab", Outcome.BLOCKED))
    store.finish_scan(s2)
    status = {f.source: f.status for f in store.findings("jane")}
    assert status == {"GitHub": "gone", "GitLab": "open"}

    s3 = store.begin_scan("jane", ["sites"])
    back = store.record_finding(s3.scan_id, "jane", account("GitHub"))
    assert back.status == "back" and not back.new


def test_interrupted_scan_keeps_what_finished(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    s1 = store.begin_scan("jane", ["sites"])
    store.record_check(s1.scan_id, Check("sites", "GitHub", Outcome.FOUND))
    store.record_finding(s1.scan_id, "jane", account())
    store.close()  # the process dies here, scan still 'running'

    store = make_store(tmp_path)
    s2 = store.begin_scan("jane", ["sites"])
    states = {s.scan_id: s.state for s in store.scans("jane")}
    assert states == {s1.scan_id: "interrupted", s2.scan_id: "running"}
    assert [c.source for c in store.checks(s1.scan_id)] == ["GitHub"]
    assert len(store.findings("jane")) == 1


def test_findings_filtered_by_confidence_and_scan(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    s1 = store.begin_scan("jane", ["sites"])
    low = account("Low")
    low.confidence = 0.2
    store.record_finding(s1.scan_id, "jane", low)
    store.record_finding(s1.scan_id, "jane", account("High"))
    assert [f.source for f in store.findings("jane", min_confidence=0.5)] == ["High"]
    s2 = store.begin_scan("jane", ["sites"])
    assert store.findings("jane", scan_id=s2.scan_id) == []
    assert store.findings("someone-else") == []


def test_corrupted_database_gives_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "data" / "exposure.db"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="corrupted"):
        make_store(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "data" / "exposure.db"
    db.parent.mkdir(parents=True)
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version=99")
    con.close()
    with pytest.raises(StoreError, match="newer exposure"):
        make_store(tmp_path)


def test_locked_database_gives_a_clear_error(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    other = Store(store.path, store.evidence_dir, busy_timeout=0.1)
    other.db.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="locked"):
        store2 = Store(store.path, store.evidence_dir, busy_timeout=0.1)
        store2.begin_scan("jane", [])
    other.db.execute("ROLLBACK")


def test_scores_checklist_state_and_verdicts(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    s1 = store.begin_scan("jane", [])
    store.set_score(s1.scan_id, 42.5)
    store.begin_scan("jane", [])  # unscored
    assert [(sid, score) for sid, _, score in store.scores("jane")] == [(s1.scan_id, 42.5)]

    store.set_checklist_state("jane", "item1", "done")
    store.set_checklist_state("jane", "item1", "verified")
    assert store.checklist_state("jane")["item1"][0] == "verified"
    assert store.checklist_state("bob") == {}

    store.set_verdict("jane", "f1", "not_me")
    store.set_verdict("jane", "f2", "me")
    store.set_verdict("jane", "f2", None)
    assert store.verdicts("jane") == {"f1": "not_me"}
    with pytest.raises(ValueError):
        store.set_verdict("jane", "f1", "maybe")


def test_upgrade_from_schema_1_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "data" / "exposure.db"
    db.parent.mkdir(parents=True)
    con = sqlite3.connect(db)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute(
        "INSERT INTO scans (profile, started_at, state) VALUES ('jane', "
        "'2026-01-01T00:00:00Z', 'finished')"
    )
    con.execute("PRAGMA user_version=1")
    con.commit()
    con.close()
    store = make_store(tmp_path)
    assert [s.state for s in store.scans("jane")] == ["finished"]
    store.set_score(store.scans("jane")[0].scan_id, 10.0)


def test_one_unsure_check_of_a_source_keeps_its_findings(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    s1 = store.begin_scan("jane", ["sites"])
    store.record_finding(s1.scan_id, "jane", account("GitHub"))
    store.finish_scan(s1)
    # Two usernames on one site: one answered absent, the other was blocked.
    s2 = store.begin_scan("jane", ["sites"])
    store.record_check(s2.scan_id, Check("sites", "GitHub", Outcome.ABSENT))
    store.record_check(s2.scan_id, Check("sites", "GitHub", Outcome.BLOCKED))
    store.finish_scan(s2)
    assert [f.status for f in store.findings("jane")] == ["open"]


def test_rows_written_before_the_typed_contract_are_upgraded(tmp_path: Path) -> None:
    """A schema-2 database: engine facts were keys of ``matched``; opening it types them."""
    from exposure.engine.schema import _SQL_MIGRATIONS
    from exposure.model import AccountAction, BrokerOptOut, Exposes, Whose

    db = sqlite3.connect(tmp_path / "db.sqlite")
    for script in _SQL_MIGRATIONS:
        db.executescript(script)
    db.execute(f"PRAGMA user_version={len(_SQL_MIGRATIONS)}")
    legacy = (
        ("a1", "sites", "Chirper", "account", {"own": False, "site": "Chirper", "username": "jd"}),
        (
            "b1",
            "brokers",
            "finder",
            "person_record",
            {
                "broker_id": "finder",
                "broker_name": "Finder",
                "exposes": ["phone"],
                "opt_out": {"url": "https://finder.test/out", "method": "email", "days": 3},
                "severity": "high",
            },
        ),
    )
    for fid, checker, source, kind, matched in legacy:
        db.execute(
            "INSERT INTO findings (profile, id, checker, source, kind, key, confidence, matched,"
            " first_seen, last_seen, first_scan, last_scan)"
            " VALUES ('jane', ?, ?, ?, ?, ?, 0.9, ?, '2026-01-01T00:00:00Z',"
            " '2026-01-01T00:00:00Z', 1, 1)",
            (fid, checker, source, kind, fid, json.dumps(matched)),
        )
    db.execute(
        "INSERT INTO scans (id, profile, started_at, state) VALUES (1, 'jane', 'x', 'finished')"
    )
    db.execute(
        "INSERT INTO checks (scan_id, checker, source, status)"
        " VALUES (1, 'brokers', 'w', 'blocked')"
    )
    db.commit()
    db.close()
    with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as store:
        account = store.finding("jane", "a1")
        record = store.finding("jane", "b1")
        (check,) = store.checks(1)
    assert account is not None and record is not None
    assert account.whose is Whose.UNKNOWN
    assert account.remedy == AccountAction(site="Chirper", username="jd")
    assert isinstance(record.remedy, BrokerOptOut)
    assert record.remedy.url == "https://finder.test/out" and record.remedy.days == 3
    assert record.exposes == {Exposes.PHONE} and record.severity == "high"
    assert record.to_dict()["matched"]["opt_out"]["method"] == "email"  # the JSON contract
    assert check.opt_out is not None and check.opt_out.broker_id == "w"
