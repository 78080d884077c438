"""Odd database rows written by another tool: one clear line, never a traceback (issue 14 item 13).

The store is seeded through its own API, then rows are changed with
``sqlite3`` directly, as another program would: NULLs (after the table was
rebuilt without its NOT NULL constraints, as ``CREATE TABLE ... AS SELECT``
does), text where numbers belong, values no exposure writes. ``findings``,
``checklist`` and ``report`` then either read the row (a NULL in a text column
is empty) or stop with one line naming the table and the column.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from findings_kit import broker_record

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Check, Coverage, Outcome


def seed(home: Path) -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        summary = store.begin_scan("jane", ["brokers"])
        check = Check("brokers", "b", Outcome.FOUND, url="https://b.test/", elapsed_ms=12)
        store.record_check(summary.scan_id, check)
        store.record_check(summary.scan_id, Check("brokers", "c", Outcome.BLOCKED, detail="429"))
        finding = store.record_finding(
            summary.scan_id,
            "jane",
            broker_record(title="Jane Doe, 12 Main St", reasons=["name 1.00"]),
        )
        store.set_coverage(summary.scan_id, Coverage.from_checks(store.checks(summary.scan_id)))
        store.finish_scan(summary)
        store.set_score(summary.scan_id, 40.0)
        store.set_verdict("jane", finding.id, "me")
        store.set_checklist_state("jane", "baseline:two-factor", "done")


def without_constraints(db: sqlite3.Connection, table: str) -> None:
    """Rebuild ``table`` as another tool might: same columns, no NOT NULL, no defaults."""
    db.execute(f"CREATE TABLE {table}_copy AS SELECT * FROM {table}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {table}_copy RENAME TO {table}")


ODD_ROWS = {
    "confidence as text": ("findings", "UPDATE findings SET confidence = 'high'"),
    "confidence NULL": ("findings", "UPDATE findings SET confidence = NULL"),
    "unknown kind": ("", "UPDATE findings SET kind = 'spaceship'"),
    "kind NULL": ("findings", "UPDATE findings SET kind = NULL"),
    "reasons not JSON": ("", "UPDATE findings SET reasons = 'not json'"),
    "reasons a number": ("", "UPDATE findings SET reasons = 7"),
    "matched a list": ("", "UPDATE findings SET matched = '[1, 2]'"),
    "text columns NULL": (
        "findings",
        "UPDATE findings SET title = NULL, url = NULL, reasons = NULL, matched = NULL",
    ),
    "title a blob": ("", "UPDATE findings SET title = X'ff00fe'"),
    "first_seen not a time": ("", "UPDATE findings SET first_seen = 'yesterday'"),
    "first_seen a number": ("", "UPDATE findings SET first_seen = 12345"),
    "facts a number": ("", "UPDATE findings SET facts = 5"),
    "status unknown": ("", "UPDATE findings SET status = 'weird'"),
    "first_scan as text": ("", "UPDATE findings SET first_scan = 'one'"),
    "check status unknown": ("", "UPDATE checks SET status = 'maybe'"),
    "check status NULL": ("checks", "UPDATE checks SET status = NULL"),
    "check elapsed as text": ("", "UPDATE checks SET elapsed_ms = 'slow'"),
    "check opt_out a number": ("", "UPDATE checks SET opt_out = 3"),
    "check detail NULL": ("checks", "UPDATE checks SET detail = NULL, url = NULL"),
    "scan started NULL": ("scans", "UPDATE scans SET started_at = NULL"),
    "scan started garbage": ("", "UPDATE scans SET started_at = 'soon'"),
    "scan score as text": ("", "UPDATE scans SET score = 'lots'"),
    "scan coverage wrong shape": ("", "UPDATE scans SET coverage = '{\"checkers\": 5}'"),
    "scan checkers NULL": ("scans", "UPDATE scans SET checkers = NULL, coverage = NULL"),
    "scan state NULL": ("scans", "UPDATE scans SET state = NULL"),
    "verdict unknown": ("", "UPDATE verdicts SET verdict = 'perhaps'"),
    "checklist state NULL": ("checklist_state", "UPDATE checklist_state SET status = NULL"),
    "checklist changed garbage": ("", "UPDATE checklist_state SET changed_at = 99"),
    "capture time a blob": ("", "UPDATE captures SET captured_at = X'00'"),
}

COMMANDS = [
    ["findings", "--profile", "jane"],
    ["findings", "--profile", "jane", "--format", "json"],
    ["checklist", "--profile", "jane"],
    ["report", "--profile", "jane", "--format", "md"],
    ["report", "--profile", "jane", "--format", "html"],
]


@pytest.mark.parametrize("odd", list(ODD_ROWS), ids=list(ODD_ROWS))
def test_odd_rows_give_one_line_never_a_traceback(
    odd: str, exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    table, sql = ODD_ROWS[odd]
    with sqlite3.connect(exposure_home / "exposure.db") as db:
        if table:
            without_constraints(db, table)
        db.execute(sql)
    db.close()
    for command in COMMANDS:
        capsys.readouterr()
        status = main(command)  # an exception here is the traceback a person would see
        err = capsys.readouterr().err
        assert status in (0, 1), (command, status, err)
        if status == 1:
            lines = err.strip().splitlines()
            assert len(lines) == 1, (command, err)
            assert "damaged" in lines[0] and "row" in lines[0], (command, err)
            assert "exposure.db" in lines[0]


def test_a_null_title_reads_as_empty_and_the_rest_is_shown(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    with sqlite3.connect(exposure_home / "exposure.db") as db:
        without_constraints(db, "findings")
        db.execute("UPDATE findings SET title = NULL, reasons = NULL")
    db.close()
    capsys.readouterr()
    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"source": "b"' in out and '"reasons": []' in out


def test_a_damaged_row_is_named_by_table_column_and_row(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    with sqlite3.connect(exposure_home / "exposure.db") as db:
        db.execute("UPDATE findings SET confidence = 'high'")
        (fid,) = db.execute("SELECT id FROM findings").fetchone()
    db.close()
    capsys.readouterr()
    assert main(["findings", "--profile", "jane"]) == 1
    err = capsys.readouterr().err.strip()
    assert "findings row" in err and "confidence" in err and "'high'" in err
    assert fid in err
