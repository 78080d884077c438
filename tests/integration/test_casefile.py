"""``exposure casefile``: the printable timeline, its ZIP, redaction and the export record."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from casefile_kit import needs_chromium, record
from pypdf import PdfReader

from exposure import paths
from exposure.cli import main
from exposure.engine.store import Store

ADDRESS = "1 High St, Leeds LS1 4AP, UK"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)  # the "ﬁ" ligature reads as "fi"


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def case(capsys, tmp_path):
    """Jane with two incidents and two findings, interleaved in time, one attachment."""
    status, _, err = run(
        capsys,
        "profile",
        "add",
        "jane",
        "--name",
        "Jane Doe",
        "--phone",
        "+44 113 496 0000",
        "--address",
        ADDRESS,
    )
    assert status == 0, err
    where = paths.current()
    with Store(where.database, where.evidence_dir) as store:
        record(
            store,
            "jane",
            b"<h1>Jane Doe, 1 High St</h1>",
            key="a",
            url="https://broker-one.example/jane",
            title="FINDING-ALPHA at 1 High St",
            when=datetime(2026, 10, 1, 12, 0, tzinfo=UTC),
        )
        record(
            store,
            "jane",
            b"<h1>Jane 0113 496 0000</h1>",
            key="b",
            url="https://broker-two.example/p/0113-496-0000",
            title="FINDING-GAMMA phone 0113 496 0000",
            when=datetime(2026, 11, 15, 8, 0, tzinfo=UTC),
        )
    chat = tmp_path / "chat-export.txt"
    chat.write_text("he wrote: I know you live at 1 High St\n")
    for when, what, extra in (
        (
            "2026-11-20 14:30+01:00",
            "INCIDENT-DELTA <script>alert(1)</script> & <b>bold</b>",
            ["--attach", str(chat)],
        ),
        (
            "2026-10-20 09:00Z",
            "INCIDENT-BETA he called 0113 496 0000 and named 1 High St",
            ["--witness", "Sam"],
        ),
    ):
        status, _, err = run(
            capsys, "incident", "add", "--profile", "jane", "--when", when, "--what", what, *extra
        )
        assert status == 0, err
    return tmp_path


@needs_chromium
def test_pdf_lists_incidents_and_findings_in_time_order(capsys, case):
    out = case / "case.pdf"
    status, stdout, err = run(
        capsys, "casefile", "export", "--profile", "jane", "--output", str(out)
    )
    assert status == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    assert (out.stat().st_mode & 0o777) == 0o600
    text = pdf_text(out.read_bytes())
    order = [
        text.index(m) for m in ("FINDING-ALPHA", "INCIDENT-BETA", "FINDING-GAMMA", "INCIDENT-DELTA")
    ]
    assert order == sorted(order), order
    # hostile incident text is shown as text, not markup
    assert "<script>alert(1)</script>" in text and "<b>bold</b>" in text
    # each finding with its capture time and hash; the attachment with its hash
    where = paths.current()
    with Store(where.database, where.evidence_dir) as store:
        findings = store.findings("jane")
    for f in findings:
        assert f.evidence.sha256 in flat(text)
    assert hashlib.sha256((case / "chat-export.txt").read_bytes()).hexdigest() in flat(text)
    assert "2026-11-20 14:30 +01:00" in text
    # the export is recorded with its own hash and date
    status, listing, _ = run(capsys, "casefile", "list", "--profile", "jane", "--format", "json")
    [entry] = json.loads(listing)
    assert entry["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert entry["format"] == "pdf" and entry["exported_at"].endswith("Z")
    assert entry["sha256"] in stdout
    assert run(capsys, "casefile", "check", str(out))[0] == 0
    out.write_bytes(out.read_bytes() + b"\n")
    status, said, _ = run(capsys, "casefile", "check", str(out))
    assert status == 1 and "does not match" in said


def _rewrite(zip_path: Path, name: str, body: bytes) -> None:
    with zipfile.ZipFile(zip_path) as zf:
        members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(zip_path, "w") as zf:
        for info, data in members:
            zf.writestr(info, body if info.filename == name else data)


@needs_chromium
def test_zip_verifies_and_a_tampered_attachment_is_caught(capsys, case):
    out = case / "case.zip"
    status, _, err = run(capsys, "casefile", "export", "--profile", "jane", "--output", str(out))
    assert status == 0, err
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["format"] == "exposure-casefile/1"
    assert "case.pdf" in names
    assert sum(n.startswith("captures/") for n in names) == 2
    assert sum(n.startswith("screenshots/") for n in names) == 2
    [attachment] = [n for n in names if n.startswith("attachments/")]
    status, said, _ = run(capsys, "evidence", "verify", str(out))
    assert status == 0, said
    assert said.startswith("OK: 6 file(s)")
    _rewrite(out, attachment, b"he wrote: nothing at all\n")
    status, said, _ = run(capsys, "evidence", "verify", str(out))
    assert status == 1
    assert f"{attachment}: SHA-256 does not match" in said


@needs_chromium
def test_redaction_removes_the_strings_from_the_pdf(capsys, case):
    out = case / "shared.zip"
    status, stdout, err = run(
        capsys,
        "casefile",
        "export",
        "--profile",
        "jane",
        "--output",
        str(out),
        "--redact",
        "home_address,phone",
    )
    assert status == 0, err
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        pdf = zf.read("case.pdf")
        manifest = json.loads(zf.read("manifest.json"))
    text = flat(pdf_text(pdf))
    for secret in ("1HighSt", "LS14AP", "4960000", "0113-496-0000", "+441134960000"):
        assert secret not in text, secret
    assert "████████" in text
    assert "FINDING-ALPHA" in text and "INCIDENT-BETA" in text  # the rest stays
    # pictures and raw captures cannot be blacked out: they are withheld, by hash
    assert not any(n.startswith(("captures/", "screenshots/")) for n in names)
    assert len(manifest["withheld_captures"]) == 2
    assert manifest["redacted"] == ["home_address", "phone"]
    assert "4960000" not in json.dumps(manifest).replace(" ", "")
    assert run(capsys, "evidence", "verify", str(out))[0] == 0


@needs_chromium
def test_a_childs_case_file_names_the_child_and_guardian(capsys, tmp_path):
    assert run(capsys, "profile", "add", "mum", "--name", "Maria Parent")[0] == 0
    assert (
        run(
            capsys,
            "profile",
            "add",
            "kid",
            "--name",
            "Kit Child",
            "--guardian",
            "mum",
            "--birth-date",
            "2014-03-01",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "incident",
            "add",
            "--profile",
            "kid",
            "--when",
            "2026-11-02 16:00",
            "--what",
            "Messages from an older player in the game chat",
            "--where",
            "game chat",
        )[0]
        == 0
    )
    out = tmp_path / "school.pdf"
    status, _, err = run(capsys, "casefile", "export", "--profile", "kid", "--output", str(out))
    assert status == 0, err
    text = pdf_text(out.read_bytes())
    cover = text.split("Timeline")[0]
    assert "The case file of a child" in cover
    assert "Kit Child" in cover and "Maria Parent" in cover
    assert "older player" in text


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["--output", "case.docx"], ".pdf or .zip"),
        (["--output", "/no/such/folder/case.pdf"], "does not exist"),
        (["--output", "case.pdf", "--redact", "home_address,shoe_size"], "shoe_size"),
    ],
)
def test_bad_export_input_is_one_line(capsys, tmp_path, monkeypatch, argv, why):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "profile", "add", "jane", "--name", "Jane Doe")[0] == 0
    status, _, err = run(capsys, "casefile", "export", "--profile", "jane", *argv)
    assert status == 2 and err.count("\n") == 1 and why in err
    assert not list(tmp_path.glob("case.*"))


def test_export_without_a_browser_says_so(capsys, tmp_path, exposure_home):
    assert run(capsys, "profile", "add", "jane", "--name", "Jane Doe")[0] == 0
    (exposure_home / "config.toml").write_text('[browser]\npath = "/no/chromium"\n')
    status, _, err = run(
        capsys, "casefile", "export", "--profile", "jane", "--output", str(tmp_path / "case.pdf")
    )
    assert status == 1 and err.count("\n") == 1 and "/no/chromium" in err
    assert not (tmp_path / "case.pdf").exists()


@needs_chromium
def test_cover_lists_the_requests_sent(capsys, case):
    status, out, err = run(capsys, "checklist", "--profile", "jane", "--format", "json")
    assert status == 0, err
    items = json.loads(out)
    items = items["items"] if isinstance(items, dict) else items
    broker = next(i for i in items if i.get("category") == "broker")
    status, _, err = run(
        capsys, "request", "sent", "--profile", "jane", "--via", "form", broker["id"]
    )
    assert status == 0, err
    pdf = case / "case.pdf"
    assert run(capsys, "casefile", "export", "--profile", "jane", "--output", str(pdf))[0] == 0
    cover = pdf_text(pdf.read_bytes()).split("Timeline")[0]
    assert "Removal requests sent: 1." in cover
    assert date.today().isoformat() in cover and "form" in cover


@needs_chromium
def test_locked_home_seals_attachments_and_screenshots_and_still_exports(capsys, case, monkeypatch):
    from exposure.engine import vault

    monkeypatch.setattr(vault, "DEFAULT_KDF", vault.Scrypt(n=2**10))
    status, _, err = run(capsys, "evidence", "screenshot", "--profile", "jane")
    assert status == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    status, _, err = run(capsys, "lock", "init")
    assert status == 0, err
    monkeypatch.setenv("EXPOSURE_PASSPHRASE", "correct horse battery")
    chat = hashlib.sha256((case / "chat-export.txt").read_bytes()).hexdigest()
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        "jane",
        "--when",
        "2026-11-25 10:00Z",
        "--what",
        "after the lock",
        "--attach",
        str(case / "chat-export.txt"),
    )
    evidence = paths.current().evidence_dir
    for file in evidence.rglob("*"):
        if file.is_file():
            assert vault.is_sealed(file.read_bytes()), file
            assert b"I know you live" not in file.read_bytes()
    out = case / "locked.zip"
    status, _, err = run(capsys, "casefile", "export", "--profile", "jane", "--output", str(out))
    assert status == 0, err
    with zipfile.ZipFile(out) as zf:
        assert zf.read(f"attachments/{chat}").startswith(b"he wrote:")
        assert sum(n.startswith("screenshots/") for n in zf.namelist()) == 2
    assert run(capsys, "evidence", "verify", str(out))[0] == 0
