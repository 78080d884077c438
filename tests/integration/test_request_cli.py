"""``exposure request draft|sent|list`` through the CLI, with a real store."""

from __future__ import annotations

import email
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Check, Finding, FindingKind, Outcome, utcnow


def add_jane(*extra: str) -> None:
    args = ["profile", "add", "jane", "--name", "Jane Doe", "--email", "jane@example.org"]
    args += ["--phone", "+1 510 555 0100", "--birth-date", "1983-04-05"]
    assert main([*args, *extra]) == 0


def seed(home: Path, broker: str = "spokeo") -> None:
    with Store(home / "exposure.db", home / "evidence") as store:
        summary = store.begin_scan("jane", ["brokers"])
        store.record_check(summary.scan_id, Check("brokers", broker, Outcome.FOUND))
        store.record_finding(
            summary.scan_id,
            "jane",
            Finding(
                checker="brokers",
                source=broker,
                kind=FindingKind.PERSON_RECORD,
                key=f"{broker}:1",
                url=f"https://www.{broker}.example/Jane-Doe/1",
                confidence=0.9,
                matched={"name": "Jane Doe", "phones": ["5105550100"]},
            ),
        )
        store.finish_scan(summary)


def out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_draft_send_and_list_for_a_california_profile(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane("--location", "Oakland, CA 94607")
    seed(exposure_home)
    text = out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane")
    assert "California Consumer Privacy Act" in text and "45 days" in text
    assert "https://www.spokeo.example/Jane-Doe/1" in text
    assert "5105550100" not in text and "1983" not in text and "jane@example.org" not in text
    doc = json.loads(
        out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane", "--format", "json")
    )
    assert doc["jurisdiction"] == "us-ca" and doc["kind"] == "request"
    sent = out(capsys, "request", "sent", "broker:spokeo", "--profile", "jane", "--via", "email")
    assert "answer due by" in sent and "(45 days)" in sent
    listing = json.loads(out(capsys, "request", "list", "--profile", "jane", "--format", "json"))
    [entry] = [r for r in listing["requests"] if r["item_id"] == "broker:spokeo"]
    assert entry["state"] == "sent" and entry["days_left"] == 45
    assert entry["sent_on"] == utcnow().date().isoformat() and entry["via"] == "email"
    assert [r["kind"] for r in entry["records"]] == ["request"]  # the same draft kept once
    checklist = json.loads(out(capsys, "checklist", "--profile", "jane", "--format", "json"))
    [item] = [i for i in checklist["items"] if i["id"] == "broker:spokeo"]
    assert item["request"]["state"] == "sent" and item["request"]["due"]
    with sqlite3.connect(exposure_home / "exposure.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 5


def test_eml_output_is_a_draft_message_written_0600(
    exposure_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_jane("--location", "Leeds, West Yorkshire LS1 4AP, UK")
    seed(exposure_home)
    target = tmp_path / "spokeo.eml"
    args = ["request", "draft", "broker:spokeo", "--profile", "jane", "--format", "eml"]
    out(capsys, *args, "--output", str(target), "--from", "jane@example.org")
    msg = email.message_from_bytes(target.read_bytes())
    assert msg["X-Unsent"] == "1" and msg["From"] == "jane@example.org"
    assert "UK GDPR" in msg.get_payload(decode=True).decode()
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sent", "broker:spokeo", "--via", "post", "--on", "2999-01-01"], "in the future"),
        (["sent", "broker:spokeo", "--via", "post", "--on", "2001-01-01"], "first seen"),
        (["sent", "broker:spokeo", "--via", "post", "--on", "yesterday"], "YYYY-MM-DD"),
        (["sent", "broker:gone", "--via", "form"], "no checklist item 'broker:gone'"),
        (["draft", "broker:gone"], "no checklist item 'broker:gone'"),
        (["draft", "baseline:password-manager"], "not a removal item"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    exposure_home: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    add_jane("--location", "Oakland, CA")
    seed(exposure_home)
    capsys.readouterr()
    assert main(["request", *args, "--profile", "jane"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    listing = json.loads(out(capsys, "request", "list", "--profile", "jane", "--format", "json"))
    assert all(r["state"] == "none" for r in listing["requests"])  # nothing recorded


def test_unknown_place_gets_a_plain_opt_out_with_a_note(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane("--location", "Atlantis")
    seed(exposure_home)
    text = out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane")
    assert "Please remove my listing" in text and "Plain opt-out request" in text


def test_the_address_program_flag_writes_the_safe_at_home_demand(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane("--location", "Oakland, CA")
    seed(exposure_home)
    assert main(["profile", "edit", "jane", "--address-program", "nope"]) == 2
    assert "unknown address-confidentiality program" in capsys.readouterr().err
    assert main(["profile", "edit", "jane", "--address-program", "ca-safe-at-home"]) == 0
    text = out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane")
    assert "§6208.1(b)" in text and "Safe at Home participant" not in text.split("Subject")[0]
    assert "48 hours" in text
    assert main(["profile", "edit", "jane", "--clear-address-program"]) == 0
    text = out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane")
    assert "6208.1" not in text


def test_a_catalogued_privacy_address_gives_a_mailto(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane("--location", "Austin, TX 78701")
    seed(exposure_home, broker="mylife")
    doc = json.loads(
        out(capsys, "request", "draft", "broker:mylife", "--profile", "jane", "--format", "json")
    )
    assert doc["to"]["email"] == "privacy@mylife.com" and doc["jurisdiction"] == "us-tx"
    assert doc["mailto"].startswith("mailto:privacy@mylife.com?subject=")
    assert "\n" not in doc["mailto"] and "%0D%0A" in doc["mailto"]


def test_a_broker_without_opt_out_facts_still_gets_a_letter(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (exposure_home / "brokers.d").mkdir(parents=True)
    (exposure_home / "brokers.d" / "mine.toml").write_text(
        '[[broker]]\nid = "tinysite"\nname = "TinySite"\n'
        'search_url = "https://tinysite.example/s?q={full_name}"\n'
    )
    add_jane("--location", "Oakland, CA")
    seed(exposure_home, broker="tinysite")
    text = out(capsys, "request", "draft", "broker:tinysite", "--profile", "jane")
    assert "To the privacy team of TinySite" in text


def test_checklist_puts_drop_first_and_shows_the_request_state(
    exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane("--location", "Oakland, CA")
    seed(exposure_home)
    doc = json.loads(out(capsys, "checklist", "--profile", "jane", "--format", "json"))
    removal = [i for i in doc["items"] if i["category"] in ("drop", "network", "broker")]
    assert removal[0]["id"] == "drop:california"
    [spokeo] = [i for i in removal if i["id"] == "broker:spokeo"]
    assert spokeo["covered_by"] == ["drop:california"]
    assert spokeo["steps"][0].startswith("Covered by your DROP request")
    # DROP is made on the state's site: recorded with the form, never before it opened
    assert main(["request", "sent", "drop:california", "--via", "form", "--profile", "jane",
                 "--on", "2025-12-31"]) == 2  # fmt: skip
    assert "before 2026-01-01" in capsys.readouterr().err
    out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane")
    out(capsys, "request", "sent", "broker:spokeo", "--profile", "jane", "--via", "email")
    text = out(capsys, "checklist", "--profile", "jane")
    today = utcnow().date().isoformat()
    assert f"request: sent, sent {today} by email, due " in text and "(45 days left)" in text


def test_reports_and_the_evidence_pack_carry_each_request(
    exposure_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_jane("--location", "Oakland, CA")
    seed(exposure_home)
    letter = out(capsys, "request", "draft", "broker:spokeo", "--profile", "jane")
    out(capsys, "request", "sent", "broker:spokeo", "--profile", "jane", "--via", "post")
    today = utcnow().date().isoformat()
    for fmt in ("md", "html"):
        report = out(capsys, "report", "--profile", "jane", "--format", fmt)
        assert f"sent {today} by post" in report and "45 days left" in report, fmt
    doc = json.loads(out(capsys, "report", "--profile", "jane", "--format", "json"))
    [item] = [i for i in doc["checklist"] if i["id"] == "broker:spokeo"]
    assert item["request"]["state"] == "sent" and item["request"]["sent_on"] == today
    assert item["request"]["due"] and item["request"]["history"][0]["via"] == "post"
    pack = tmp_path / "pack.zip"
    out(capsys, "evidence", "export", "--profile", "jane", "--output", str(pack))
    with zipfile.ZipFile(pack) as zf:
        asked = json.loads(zf.read("requests.json"))["requests"]
        index = zf.read("index.html").decode()
    [entry] = [r for r in asked if r["item_id"] == "broker:spokeo"]
    assert entry["sent_on"] == today and entry["via"] == "post" and entry["kind"] == "request"
    assert "https://www.spokeo.example/Jane-Doe/1" in entry["body"]
    assert entry["body"].splitlines()[0] in letter
    assert "Removal requests" in index and today in index
    assert main(["evidence", "verify", str(pack)]) == 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(pack) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "requests.json":
                body = body.replace(today.encode(), b"2026-01-02")
            dst.writestr(info, body)
    capsys.readouterr()
    assert main(["evidence", "verify", str(tampered)]) != 0
    assert "requests.json" in capsys.readouterr().out
