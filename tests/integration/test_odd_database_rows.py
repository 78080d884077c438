"""Odd database rows written by another tool: one clear line, never a traceback (issue 14 item 13).

The store is seeded through its own API, then rows are changed with
``sqlite3`` directly, as another program would: NULLs (after the table was
rebuilt without its NOT NULL constraints, as ``CREATE TABLE ... AS SELECT``
does), text where numbers belong, values no exposure writes. Every command
that reads the store (:func:`commands`; the case file and the screenshots
with Chromium) then either reads the row (a NULL in a text column is empty)
or stops with one line naming the table, the row and the column.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from findings_kit import broker_record

from exposure.casefile.export import _record
from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Check, Coverage, Outcome

CASE_FILE = b"%PDF-1.4 a case file exported earlier"


def seed(home: Path) -> None:
    """Jane's scan, a child (kid, in mum's care) with the same scan, an incident, a request."""
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    assert main(["profile", "add", "mum", "--name", "Mary Doe"]) == 0
    assert main(["profile", "add", "kid", "--name", "Tim Doe", "--guardian", "mum"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        for profile in ("jane", "kid"):
            summary = store.begin_scan(profile, ["brokers"])
            check = Check("brokers", "b", Outcome.FOUND, url="https://b.test/", elapsed_ms=12)
            store.record_check(summary.scan_id, check)
            store.record_check(
                summary.scan_id, Check("brokers", "c", Outcome.BLOCKED, detail="429")
            )
            finding = store.record_finding(
                summary.scan_id,
                profile,
                broker_record(title="Jane Doe, 12 Main St", reasons=["name 1.00"]),
            )
            store.set_coverage(summary.scan_id, Coverage.from_checks(store.checks(summary.scan_id)))
            store.finish_scan(summary)
            store.set_score(summary.scan_id, 40.0)
            store.set_verdict(profile, finding.id, "me")
            store.set_checklist_state(profile, "baseline:two-factor", "done")
        # an export's record, as `casefile export` keeps it (without printing one)
        _record(store, "jane", home / "case.pdf", "pdf", CASE_FILE, ())
    when = ["--when", "2026-01-02 10:00", "--what", "a call", "--where", "https://x.test/"]
    assert main(["incident", "add", "--profile", "jane", *when]) == 0
    assert main(["request", "draft", "broker:b", "--profile", "jane", "--format", "json"]) == 0


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
    "running scan id as text": ("scans", "UPDATE scans SET state = 'running', id = 'first'"),
    "verdict unknown": ("", "UPDATE verdicts SET verdict = 'perhaps'"),
    "checklist state NULL": ("checklist_state", "UPDATE checklist_state SET status = NULL"),
    "checklist changed garbage": ("", "UPDATE checklist_state SET changed_at = 99"),
    "capture time a blob": ("", "UPDATE captures SET captured_at = X'00'"),
    "capture urls NULL": ("captures", "UPDATE captures SET url = NULL, final_url = NULL"),
    "capture method unknown": ("", "UPDATE captures SET method = 'teleported'"),
    "evidence size as text": ("", "UPDATE evidence SET size = 'big'"),
    "evidence path NULL": ("evidence", "UPDATE evidence SET path = NULL"),
    "request kind unknown": ("", "UPDATE requests SET kind = 'letter'"),
    "request drafted garbage": ("", "UPDATE requests SET drafted_at = 'then'"),
    "request sent_on garbage": ("", "UPDATE requests SET sent_on = 'soon'"),
    "request text NULL": (
        "requests",
        "UPDATE requests SET recipient = NULL, subject = NULL, body = NULL, via = NULL",
    ),
    "incident created garbage": ("", "UPDATE incidents SET created_at = 'once'"),
    "incident text NULL": (
        "incident_versions",  # rebuilt: that also drops its append-only triggers
        "UPDATE incident_versions SET what = NULL, who = NULL, places = NULL",
    ),
    "incident happened a number": (
        "incident_versions",
        "UPDATE incident_versions SET happened_at = 5",
    ),
    "screenshot status unknown": (
        "",
        "INSERT INTO screenshots (capture_id, status, detail, blocked, rendered_at)"
        " SELECT id, 'sideways', '', 0, '2026-01-01T00:00:00Z' FROM captures",
    ),
    "screenshot time garbage": (
        "",
        "INSERT INTO screenshots (capture_id, status, detail, blocked, rendered_at)"
        " SELECT id, 'failed', 'hang', 'none', 'later' FROM captures",
    ),
    "case file size as text": ("", "UPDATE casefile_exports SET size = 'big'"),
    "case file redacted not JSON": ("", "UPDATE casefile_exports SET redacted = 'home'"),
    "case file time garbage": ("", "UPDATE casefile_exports SET exported_at = 'later'"),
    "case file format unknown": ("", "UPDATE casefile_exports SET format = 'docx'"),
    "case file path NULL": ("casefile_exports", "UPDATE casefile_exports SET path = NULL"),
    "incident version as text": (
        "incident_versions",
        "UPDATE incident_versions SET version = 'two'",
    ),
}


def commands(out: Path) -> list[list[str]]:
    """Every command that reads the store; those that also write come last (forget at the end)."""
    jane = ["--profile", "jane"]
    return [
        ["findings", *jane],
        ["findings", *jane, "--format", "json"],
        ["findings", *jane, "--format", "csv", "--include-gone"],
        ["findings"],  # every profile
        ["checklist", *jane],
        ["checklist", *jane, "--format", "json"],
        ["checklist", *jane, "--format", "md"],
        ["checklist"],
        ["report", *jane, "--format", "md"],
        ["report", *jane, "--format", "html"],
        ["report", *jane, "--format", "json"],
        ["report", *jane, "--format", "csv"],
        ["report", "--guardian", "mum", "--format", "json"],
        ["guardian", "report", "mum", "--format", "md"],
        ["guardian", "report", "mum", "--format", "html", "--output", str(out / "g.html")],
        ["request", "list", *jane],
        ["request", "list", *jane, "--format", "json"],
        ["incident", "list", *jane],
        ["incident", "list", *jane, "--format", "json"],
        ["incident", "show", "1", *jane, "--format", "json"],
        ["evidence", "export", *jane, "--output", str(out / "evidence.zip"), "--allow-missing"],
        ["casefile", "list"],
        ["casefile", "list", "--profile", "jane", "--format", "json"],
        ["casefile", "check", str(out / "case.pdf")],
        ["locate", "--footprint", "--format", "json"],
        # these read the store, then write to it
        ["request", "draft", "broker:b", *jane, "--format", "json"],
        ["request", "sent", "broker:b", *jane, "--via", "email"],
        ["checklist", "done", "baseline:two-factor", *jane],
        ["checklist", "undo", "baseline:two-factor", *jane],
        ["incident", "edit", "1", *jane, "--what", "a second call"],
        ["forget", "kid", "--format", "json"],
    ]


# The case file and the screenshots render with Chromium (a second or more a run),
# so they get the odd rows of the tables only they read (captures with their
# evidence and screenshots, the incident log) and one of each other table they
# read as the commands above do; every odd row would take minutes.
WITH_CHROMIUM = [
    ["casefile", "export", "--profile", "jane", "--output", "case.pdf"],
    ["casefile", "export", "--profile", "jane", "--output", "case.zip"],
    ["evidence", "screenshot", "--profile", "jane"],
]
CHROMIUM_ROWS = [
    "confidence as text",
    "text columns NULL",
    "check status unknown",
    "scan score as text",
    "capture time a blob",
    "capture urls NULL",
    "evidence path NULL",
    "evidence size as text",
    "screenshot status unknown",
    "screenshot time garbage",
    "request kind unknown",
    "incident created garbage",
    "incident text NULL",
]


def damage(home: Path, table: str, sql: str) -> None:
    with sqlite3.connect(home / "exposure.db") as db:
        if table:
            without_constraints(db, table)
        db.execute(sql)
    db.close()


def one_line_or_works(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    status = main(command)  # an exception here is the traceback a person would see
    err = capsys.readouterr().err
    assert status in (0, 1), (command, status, err)
    if status == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1, (command, err)
        assert "damaged" in lines[0] and "row" in lines[0], (command, err)
        assert "exposure.db" in lines[0]


# Jane has no email, so this scan's one checker is skipped and nothing is sent;
# the scan still reads the store (stale scans, the scan before, its findings).
# It exits 1 then (not an all-clear) with its own warning.
SCAN = ["scan", "--profile", "jane", "--only", "hibp", "--format", "json"]


@pytest.mark.parametrize("odd", list(ODD_ROWS), ids=list(ODD_ROWS))
def test_odd_rows_give_one_line_never_a_traceback(
    odd: str, exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    damage(exposure_home, *ODD_ROWS[odd])
    (tmp_path / "case.pdf").write_bytes(CASE_FILE)
    for command in commands(tmp_path):
        one_line_or_works(command, capsys)
    capsys.readouterr()
    status = main(SCAN)
    err = capsys.readouterr().err
    assert status in (0, 1, 3), err
    if "damaged" in err:
        assert len(err.strip().splitlines()) == 1 and "exposure.db" in err, err


@pytest.mark.parametrize("odd", CHROMIUM_ROWS)
def test_odd_rows_in_a_case_file_and_screenshots(
    odd: str, exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        pytest.skip("the case file prints with Chromium, and none is installed")
    seed(exposure_home)
    damage(exposure_home, *ODD_ROWS[odd])
    for command in WITH_CHROMIUM:
        if command[0] == "casefile":
            command = [*command[:-1], str(tmp_path / command[-1])]
        one_line_or_works(command, capsys)


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


def test_a_damaged_request_row_is_named(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    damage(exposure_home, *ODD_ROWS["request kind unknown"])
    capsys.readouterr()
    assert main(["request", "list", "--profile", "jane"]) == 1
    err = capsys.readouterr().err.strip()
    assert "damaged requests row (id 1)" in err and "kind" in err and "'letter'" in err


def test_a_case_file_record_without_its_path_is_named_in_the_footprint(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    damage(exposure_home, *ODD_ROWS["case file path NULL"])
    capsys.readouterr()
    assert main(["locate", "--footprint"]) == 0
    out = capsys.readouterr().out
    assert "case-file exports" in out and "damaged casefile_exports row" in out
