"""``exposure incident``: the append-only incident log with attachments."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from exposure import paths
from exposure.cli import main
from exposure.engine.store import Store, StoreError


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def jane(capsys):
    status, _, err = run(capsys, "profile", "add", "jane", "--name", "Jane Doe")
    assert status == 0, err
    return "jane"


def _files(tmp_path):
    shot = tmp_path / "threat.png"
    shot.write_bytes(b"\x89PNG fake screenshot bytes")
    mail = tmp_path / "message.eml"
    mail.write_text("From: someone\nSubject: you know where\n\nI know where you live.\n")
    return shot, mail


def test_incident_with_two_attachments_round_trips_with_hashes(capsys, jane, tmp_path):
    shot, mail = _files(tmp_path)
    status, out, err = run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 14:30+01:00",
        "--what",
        "Threatening email after the listing went up",
        "--where",
        "https://example.org/listing",
        "--who",
        "unknown sender",
        "--witness",
        "Sam",
        "--attach",
        str(shot),
        "--attach",
        str(mail),
    )
    assert status == 0, err
    assert "2 attachment(s)" in out
    status, out, _ = run(capsys, "incident", "show", "--profile", jane, "1", "--format", "json")
    data = json.loads(out)
    v = data["versions"][0]
    assert v["happened_at"] == "2026-11-20T14:30:00+01:00"
    assert v["happened_utc"] == "2026-11-20T13:30:00Z"
    assert v["where"] == ["https://example.org/listing"] and v["witnesses"] == ["Sam"]
    names = {a["name"]: a for a in data["attachments"]}
    assert set(names) == {"threat.png", "message.eml"}
    evidence = paths.current().evidence_dir
    for original in (shot, mail):
        entry = names[original.name]
        expected = hashlib.sha256(original.read_bytes()).hexdigest()
        assert entry["sha256"] == expected
        stored = evidence / expected[:2] / expected
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == expected
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        assert entry["added_at"].endswith("Z")


def test_edit_appends_a_version_and_keeps_the_old_text(capsys, jane):
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 09:00Z",
        "--what",
        "First account of it",
    )
    status, out, err = run(
        capsys, "incident", "edit", "--profile", jane, "1", "--what", "Corrected account"
    )
    assert status == 0, err
    status, out, _ = run(capsys, "incident", "show", "--profile", jane, "1")
    assert "Corrected account" in out and "First account of it" in out
    assert "EDITED" in out
    data = json.loads(run(capsys, "incident", "list", "--profile", jane, "--format", "json")[1])
    assert [v["what"] for v in data[0]["versions"]] == ["First account of it", "Corrected account"]
    assert data[0]["edited"] is True
    # the store itself refuses to rewrite history
    with (
        Store.open_current() as store,
        pytest.raises((StoreError, sqlite3.Error)),
        store.batch(),
    ):
        store.db.execute("UPDATE incident_versions SET what = 'gone'")
    status, _, err = run(
        capsys, "incident", "edit", "--profile", jane, "1", "--what", "Corrected account"
    )
    assert status == 2 and "nothing to change" in err


def test_list_is_in_time_order_across_offsets(capsys, jane):
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 10:00+05:00",
        "--what",
        "second (05:00 UTC)",
    )
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 01:00-03:00",
        "--what",
        "third (04:00 UTC next)",
    )
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-19 23:00Z",
        "--what",
        "first",
    )
    data = json.loads(run(capsys, "incident", "list", "--profile", jane, "--format", "json")[1])
    assert [d["versions"][-1]["what"] for d in data] == [
        "first",
        "third (04:00 UTC next)",
        "second (05:00 UTC)",
    ]


@pytest.mark.parametrize(
    "when",
    [
        "yesterday",
        "2026-13-01 10:00",
        "2026-11-20 25:00",
        "2999-01-01 10:00",
        "2026-11-20 10:00+99:00",
    ],
)
def test_bad_time_is_one_line(capsys, jane, when):
    status, _, err = run(
        capsys, "incident", "add", "--profile", jane, "--when", when, "--what", "x"
    )
    assert status == 2
    assert err.count("\n") == 1 and "--when" in err


def test_bad_text_is_refused(capsys, jane):
    status, _, err = run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 10:00",
        "--what",
        "evil \x1b[31m\u202e text",
    )
    assert status == 2 and "control" in err
    status, _, err = run(
        capsys, "incident", "add", "--profile", jane, "--when", "2026-11-20 10:00", "--what", "   "
    )
    assert status == 2 and "empty" in err


def _refused(capsys, jane, tmp_path, bad, why):
    good = tmp_path / "good.txt"
    good.write_text("fine")
    status, _, err = run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 10:00",
        "--what",
        "x",
        "--attach",
        str(good),
        "--attach",
        str(bad),
    )
    assert status == 2, err
    assert err.count("\n") == 1 and why in err
    # nothing recorded, nothing half-copied
    data = json.loads(run(capsys, "incident", "list", "--profile", jane, "--format", "json")[1])
    assert data == []
    evidence = paths.current().evidence_dir
    assert not evidence.exists() or not any(p.is_file() for p in evidence.rglob("*"))


def test_symlink_attachment_refused(capsys, jane, tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("x")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    _refused(capsys, jane, tmp_path, link, "symbolic link")


def test_device_attachment_refused(capsys, jane, tmp_path):
    _refused(capsys, jane, tmp_path, tmp_path.__class__("/dev/zero"), "device")


def test_fifo_attachment_refused_without_hanging(capsys, jane, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    _refused(capsys, jane, tmp_path, fifo, "device, pipe")


def test_huge_attachment_refused(capsys, jane, tmp_path):
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as fh:
        fh.truncate(51 * 1024 * 1024)  # sparse: costs no disk
    _refused(capsys, jane, tmp_path, huge, "over the 50.0 MiB limit")


def test_missing_attachment_refused(capsys, jane, tmp_path):
    _refused(capsys, jane, tmp_path, tmp_path / "nope.png", "no such file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_attachment_refused(capsys, jane, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    _refused(capsys, jane, tmp_path, secret, "permission denied")


def test_terminal_output_is_escaped(capsys, jane):
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 10:00",
        "--what",
        "line one\nline two",
        "--where",
        "https://x.example/\u00e9",
    )
    status, out, _ = run(capsys, "incident", "show", "--profile", jane, "1")
    assert "line one" in out and "line two" in out
    assert "\x1b" not in out


def test_unknown_profile_and_incident(capsys, jane):
    status, _, err = run(capsys, "incident", "list", "--profile", "nobody")
    assert status == 2
    status, _, err = run(capsys, "incident", "show", "--profile", jane, "7")
    assert status == 2 and "no incident 7" in err


def test_attachment_that_fails_to_read_is_refused(capsys, jane, tmp_path):
    """A regular file whose read fails (here /proc/self/mem, EIO at offset 0), even as root."""
    _refused(capsys, jane, tmp_path, Path("/proc/self/mem"), "cannot be read")


def test_hostile_text_in_the_database_is_cleaned_for_the_terminal(capsys, jane):
    """Text that got into the store some other way still reaches the terminal inert."""
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 10:00Z",
        "--what",
        "original",
    )
    with Store.open_current() as store, store.batch():
        store.db.execute(
            "INSERT INTO incident_versions (incident_id, version, happened_at, happened_utc,"
            " what, places, who, witnesses, recorded_at) VALUES (1, 2, ?, ?, ?, ?, ?, ?, ?)",
            (
                "2026-11-20T10:00:00+00:00",
                "2026-11-20T10:00:00Z",
                "evil \x1b]8;;http://x\x07link\x1b[2J \u202etxt",
                '["\x1b[31mred"]',
                "\x9b31m",
                "[]",
                "2026-11-21T00:00:00Z",
            ),
        )
    for argv in (("show", "--profile", jane, "1"), ("list", "--profile", jane)):
        status, out, _ = run(capsys, "incident", *argv)
        assert status == 0
        assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out
        assert "evil" in out
    assert (
        "(unreadable in the database)" in run(capsys, "incident", "show", "--profile", jane, "1")[1]
    )


def test_damaged_time_in_the_database_is_one_line(capsys, jane):
    run(
        capsys,
        "incident",
        "add",
        "--profile",
        jane,
        "--when",
        "2026-11-20 10:00Z",
        "--what",
        "original",
    )
    with Store.open_current() as store, store.batch():
        store.db.execute("DROP TRIGGER incident_versions_no_update")
        store.db.execute("UPDATE incident_versions SET happened_at = 'last week'")
    status, _, err = run(capsys, "incident", "list", "--profile", jane)
    assert status == 1 and err.count("\n") == 1 and "damaged" in err
