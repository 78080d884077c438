"""The evidence locker: export, verify, and refusal of tampered or hostile packs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Capture, Check, Finding, FindingKind, Outcome
from exposure.reports import evidence_pack as ep

PAGE_A = b"<html><body>Jane Doe, 12 Main St</body></html>"
PAGE_B = b'{"breach": "Adobe"}'


def add_jane() -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0


def open_store(home: Path) -> Store:
    return Store(home / "exposure.db", home / "evidence")


def seed(home: Path) -> list[str]:
    """Two findings with three captures (one body seen twice). Returns the sha256s."""
    with open_store(home) as store:
        for body in (PAGE_A, PAGE_B, PAGE_A):
            summary = store.begin_scan("jane", ["brokers"])
            store.record_check(summary.scan_id, Check("brokers", "b", Outcome.FOUND))
            kind = FindingKind.BREACH if body == PAGE_B else FindingKind.PERSON_RECORD
            store.record_finding(
                summary.scan_id,
                "jane",
                Finding(
                    checker="brokers",
                    source="b",
                    kind=kind,
                    key=body.decode()[:8],
                    url='https://b.test/r?q=<script>"',
                    confidence=0.9,
                    capture=Capture(body, "javascript:alert(1)", "https://b.test/final"),
                ),
            )
            store.finish_scan(summary)
    return [hashlib.sha256(b).hexdigest() for b in (PAGE_A, PAGE_B)]


def export(home: Path, tmp_path: Path) -> Path:
    out = tmp_path / "pack.zip"
    assert main(["evidence", "export", "--profile", "jane", "--output", str(out)]) == 0
    return out


def rewrite(
    src: Path,
    dst: Path,
    change: dict[str, bytes | None],
    extra: list[zipfile.ZipInfo | tuple[str, bytes]] = (),
) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) members, adding ``extra``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    zout.writestr(info.filename, change[info.filename])
                continue
            zout.writestr(info, zin.read(info))
        for item in extra:
            if isinstance(item, tuple):
                zout.writestr(item[0], item[1])
            else:
                zout.writestr(item, b"x")
    return dst


def test_export_then_verify_round_trip(exposure_home: Path, tmp_path: Path, capsys) -> None:
    add_jane()
    sha_a, sha_b = seed(exposure_home)
    pack = export(exposure_home, tmp_path)
    assert "3 capture(s) in 2 file(s)" in capsys.readouterr().out
    assert stat.S_IMODE(os.stat(pack).st_mode) == 0o600
    with zipfile.ZipFile(pack) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(
            [
                f"captures/{sha_a}.html",
                f"captures/{sha_b}.json",
                "manifest.json",
                "manifest.csv",
                "index.html",
                "requests.json",
            ]
        )
        assert zf.read(f"captures/{sha_a}.html") == PAGE_A
        manifest = json.loads(zf.read("manifest.json"))
        rows = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode())))
        index = zf.read("index.html").decode()
    assert manifest["profile"] == "jane" and len(manifest["captures"]) == 3
    entry = manifest["captures"][0]
    assert set(entry) >= {
        "finding_id",
        "source",
        "kind",
        "url",
        "final_url",
        "captured_at",
        "sha256",
        "size",
    }
    assert entry["size"] == len(PAGE_A) and entry["captured_at"].endswith("Z")
    assert [r["sha256"] for r in rows] == [e["sha256"] for e in manifest["captures"]]
    assert list(rows[0])[:8] == [
        "finding_id",
        "source",
        "kind",
        "url",
        "final_url",
        "captured_at",
        "sha256",
        "size",
    ]
    assert "<script>" not in index and 'href="javascript' not in index
    assert "Content-Security-Policy" in index

    capsys.readouterr()
    assert main(["evidence", "verify", str(pack)]) == 0
    assert "OK: 5 file(s)" in capsys.readouterr().out  # 2 captures, csv, index, requests


def test_tampered_capture_is_named(exposure_home: Path, tmp_path: Path, capsys) -> None:
    add_jane()
    sha_a, _ = seed(exposure_home)
    pack = export(exposure_home, tmp_path)
    bad = rewrite(
        pack, tmp_path / "bad.zip", {f"captures/{sha_a}.html": PAGE_A + b"<!-- edited -->"}
    )
    capsys.readouterr()
    assert main(["evidence", "verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"captures/{sha_a}.html: SHA-256 does not match" in out


def test_missing_capture_and_edited_index_are_named(
    exposure_home: Path, tmp_path: Path, capsys
) -> None:
    add_jane()
    _, sha_b = seed(exposure_home)
    pack = export(exposure_home, tmp_path)
    bad = rewrite(
        pack,
        tmp_path / "bad.zip",
        {f"captures/{sha_b}.json": None, "index.html": b"<h1>nothing here</h1>"},
    )
    capsys.readouterr()
    assert main(["evidence", "verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"captures/{sha_b}.json: missing from the pack" in out
    assert "index.html: SHA-256 does not match" in out


@pytest.mark.parametrize(
    "name", ["../evil", "captures/../../evil", "/etc/passwd", "C:/evil", "captures\\evil"]
)
def test_hostile_member_names_are_rejected(
    exposure_home: Path, tmp_path: Path, capsys, name: str
) -> None:
    add_jane()
    seed(exposure_home)
    pack = export(exposure_home, tmp_path)
    bad = rewrite(pack, tmp_path / "bad.zip", {}, [(name, b"payload")])
    capsys.readouterr()
    assert main(["evidence", "verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and ("absolute" in out or ".." in out or "backslash" in out)
    assert not (tmp_path.parent / "evil").exists()


def test_symlink_member_is_rejected(exposure_home: Path, tmp_path: Path, capsys) -> None:
    add_jane()
    seed(exposure_home)
    pack = export(exposure_home, tmp_path)
    link = zipfile.ZipInfo("captures/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = rewrite(pack, tmp_path / "bad.zip", {}, [link])
    capsys.readouterr()
    assert main(["evidence", "verify", str(bad)]) == 1
    assert "captures/link: is a symbolic link" in capsys.readouterr().out


def test_oversized_member_is_not_inflated(
    exposure_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_jane()
    sha_a, sha_b = seed(exposure_home)
    pack = export(exposure_home, tmp_path)
    monkeypatch.setattr(ep, "MAX_MEMBER", len(PAGE_A) - 1)
    result = ep.verify_pack(pack)
    assert not result.ok
    assert any(p.startswith(f"captures/{sha_a}.html: unreadable") for p in result.problems)
    assert not any(p.startswith(f"captures/{sha_b}") for p in result.problems)


def test_not_a_zip_and_missing_manifest(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip at all")
    assert main(["evidence", "verify", str(junk)]) == 2
    assert "not a zip file" in capsys.readouterr().err

    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("captures/x", b"x")
    assert main(["evidence", "verify", str(empty)]) == 2
    assert "no manifest.json" in capsys.readouterr().err

    garbled = tmp_path / "garbled.zip"
    with zipfile.ZipFile(garbled, "w") as zf:
        zf.writestr("manifest.json", b"{nope")
    assert main(["evidence", "verify", str(garbled)]) == 2
    assert "manifest.json is unreadable" in capsys.readouterr().err

    assert main(["evidence", "verify", str(tmp_path / "absent.zip")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_export_errors(exposure_home: Path, tmp_path: Path, capsys) -> None:
    assert (
        main(["evidence", "export", "--profile", "ghost", "--output", str(tmp_path / "x.zip")]) == 2
    )
    add_jane()
    capsys.readouterr()
    missing = tmp_path / "no" / "such" / "folder" / "pack.zip"
    assert main(["evidence", "export", "--profile", "jane", "--output", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_altered_or_lost_stored_capture_is_named_and_left_out_only_when_allowed(
    exposure_home: Path, tmp_path: Path, capsys
) -> None:
    add_jane()
    sha_a, sha_b = seed(exposure_home)
    stored = exposure_home / "evidence" / sha_a[:2] / sha_a
    stored.write_bytes(b"changed after capture")
    (exposure_home / "evidence" / sha_b[:2] / sha_b).unlink()
    out = tmp_path / "pack.zip"
    assert main(["evidence", "export", "--profile", "jane", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"capture {sha_a} " in err and "no longer matches" in err
    assert f"capture {sha_b} " in err and "is missing" in err
    assert not out.exists()
    args = ["evidence", "export", "--profile", "jane", "--output", str(out), "--allow-missing"]
    assert main(args) == 0
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if n.startswith("captures/")]
        assert len(json.loads(zf.read("manifest.json"))["missing"]) == 3  # three captures
    capsys.readouterr()
    assert main(["evidence", "verify", str(out)]) == 1
    assert capsys.readouterr().out.startswith("INCOMPLETE")


def test_empty_profile_exports_an_empty_but_valid_pack(exposure_home: Path, tmp_path: Path) -> None:
    add_jane()
    pack = export(exposure_home, tmp_path)
    result = ep.verify_pack(pack)
    assert result.ok and result.checked == 3  # manifest.csv, index.html, requests.json
