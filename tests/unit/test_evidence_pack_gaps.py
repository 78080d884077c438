"""Evidence packs with gaps and hostile indexes (issue 14 item 12).

A capture whose file is missing from the locker is named at export (exit 1
unless ``--allow-missing``), recorded in the manifest, and reported by
``verify``; ``verify`` refuses an oversized zip index from its end record,
before :mod:`zipfile` reads it; the index links each capture with an
extension that matches its type.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.engine.store import Store
from exposure.model import Capture, Check, Finding, FindingKind, Outcome
from exposure.reports import evidence_pack as ep

HTML = b"<html><body>Jane Doe, 12 Main St</body></html>"
JSON = b'{"breach": "Adobe"}'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TEXT = b"Jane Doe\n12 Main St\n"
BODIES = {
    HTML: "text/html; charset=utf-8",
    JSON: "application/json",
    PNG: "image/png",
    TEXT: "text/plain",
}
EXTENSIONS = {HTML: "html", JSON: "json", PNG: "png", TEXT: "txt"}


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def seed(home: Path) -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe"]) == 0
    with Store(home / "exposure.db", home / "evidence") as store:
        summary = store.begin_scan("jane", ["brokers"])
        store.record_check(summary.scan_id, Check("brokers", "b", Outcome.FOUND))
        for i, (body, ctype) in enumerate(BODIES.items()):
            store.record_finding(
                summary.scan_id,
                "jane",
                Finding(
                    checker="brokers",
                    source="b",
                    kind=FindingKind.PERSON_RECORD,
                    key=f"k{i}",
                    url=f"https://b.test/r{i}",
                    confidence=0.9,
                    capture=Capture(
                        body, f"https://b.test/r{i}", f"https://b.test/r{i}", content_type=ctype
                    ),
                ),
            )
        store.finish_scan(summary)


def lose(home: Path, body: bytes) -> None:
    digest = sha(body)
    (home / "evidence" / digest[:2] / digest).unlink()


def export_args(out: Path, *extra: str) -> list[str]:
    return ["evidence", "export", "--profile", "jane", "--output", str(out), *extra]


# --------------------------------------------------------------------------- missing captures


def test_export_with_a_missing_capture_names_it_and_fails(
    exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    lose(exposure_home, JSON)
    capsys.readouterr()
    out = tmp_path / "pack.zip"
    assert main(export_args(out)) == 1
    err = capsys.readouterr().err
    assert sha(JSON) in err and "https://b.test/r1" in err
    assert "--allow-missing" in err
    assert not out.exists()  # no pack that looks complete


def test_allow_missing_exports_and_the_manifest_and_verify_name_the_gap(
    exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    lose(exposure_home, JSON)
    out = tmp_path / "pack.zip"
    capsys.readouterr()
    assert main(export_args(out, "--allow-missing")) == 0
    captured = capsys.readouterr()
    assert sha(JSON) in captured.err and "1 capture(s) missing" in captured.out
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    [gap] = manifest["missing"]
    assert gap["sha256"] == sha(JSON) and gap["url"] == "https://b.test/r1"
    assert gap["finding_id"] and "missing" in gap["why"]
    assert sha(JSON) not in {e["sha256"] for e in manifest["captures"]}

    assert main(["evidence", "verify", str(out)]) == 1
    said = capsys.readouterr().out
    assert "OK" not in said.splitlines()[0]
    assert sha(JSON) in said and "missing" in said


def test_an_altered_stored_capture_counts_as_missing(
    exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    digest = sha(HTML)
    (exposure_home / "evidence" / digest[:2] / digest).write_bytes(b"changed after capture")
    capsys.readouterr()
    assert main(export_args(tmp_path / "pack.zip")) == 1
    err = capsys.readouterr().err
    assert digest in err and "no longer matches" in err


def test_a_complete_export_still_verifies_ok(
    exposure_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(exposure_home)
    out = tmp_path / "pack.zip"
    assert main(export_args(out)) == 0
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("manifest.json"))["missing"] == []
    capsys.readouterr()
    assert main(["evidence", "verify", str(out)]) == 0
    assert capsys.readouterr().out.startswith("OK: 7 file(s)")  # 4 captures, csv, index, requests


# --------------------------------------------------------------------------- extensions


def test_index_links_each_capture_with_an_extension_of_its_type(
    exposure_home: Path, tmp_path: Path
) -> None:
    seed(exposure_home)
    out = tmp_path / "pack.zip"
    assert main(export_args(out)) == 0
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        index = zf.read("index.html").decode()
        manifest = json.loads(zf.read("manifest.json"))
        for body, ext in EXTENSIONS.items():
            name = f"captures/{sha(body)}.{ext}"
            assert name in names
            assert zf.read(name) == body
            assert f'href="{name}"' in index
    assert {e["file"] for e in manifest["captures"]} == {
        f"captures/{sha(b)}.{ext}" for b, ext in EXTENSIONS.items()
    }


@pytest.mark.parametrize(
    ("content_type", "body", "ext"),
    [
        ("text/html; charset=utf-8", b"<p>x</p>", "html"),
        ("application/xhtml+xml", b"<p>x</p>", "html"),
        ("application/vnd.api+json", b"{}", "json"),
        ("image/jpeg", b"\xff\xd8\xff", "jpg"),
        ("application/pdf", b"%PDF-1.4", "pdf"),
        ("application/pgp-keys", b"-----BEGIN PGP", "asc"),
        ("", b"\x89PNG\r\n\x1a\nrest", "png"),
        ("", b'  {"a": 1}', "json"),
        ("", b"<!doctype html><html>", "html"),
        ("", b"plain words", "txt"),
        ("application/octet-stream", b"\x00\x01\x02", "bin"),
        ("text/html\r\nX: y", b"<p>x</p>", "html"),
    ],
)
def test_capture_extension(content_type: str, body: bytes, ext: str) -> None:
    assert ep.capture_extension(content_type, body) == ext


def test_a_manifest_naming_another_file_for_a_capture_is_a_problem(
    exposure_home: Path, tmp_path: Path
) -> None:
    seed(exposure_home)
    out = tmp_path / "pack.zip"
    assert main(export_args(out)) == 0
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["captures"][0]["file"] = "index.html"
                data = json.dumps(manifest).encode()
            zout.writestr(info.filename, data)
    result = ep.verify_pack(bad)
    assert not result.ok
    assert any("cannot hold" in p for p in result.problems)


# --------------------------------------------------------------------------- the zip index


class NoZipFile:
    """Stands in for zipfile.ZipFile: verify must refuse before constructing one."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("zipfile parsed the index before its size was checked")


def many_members(path: Path, count: int, name_length: int = 8) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(count):
            zf.writestr(f"{i:0{name_length}d}", b"")
    return path


def test_too_many_entries_are_refused_before_the_index_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = many_members(tmp_path / "many.zip", 30)
    monkeypatch.setattr(ep, "MAX_MEMBERS", 20)
    monkeypatch.setattr(ep.zipfile, "ZipFile", NoZipFile)
    with pytest.raises(ep.PackError, match="30 entries"):
        ep.verify_pack(pack)


def test_an_oversized_index_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = many_members(tmp_path / "long.zip", 10, name_length=200)
    monkeypatch.setattr(ep, "MAX_DIRECTORY", 1000)
    monkeypatch.setattr(ep.zipfile, "ZipFile", NoZipFile)
    assert main(["evidence", "verify", str(pack)]) == 2
    err = capsys.readouterr().err
    assert "index" in err and "bytes" in err and len(err.strip().splitlines()) == 1


def test_a_zip64_end_record_declaring_a_billion_entries_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand-made ZIP64 end record: the 32-bit fields say 'see ZIP64', ZIP64 says 10**9."""
    zip64_end = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 10**9, 10**9, 50 * 10**9, 0
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    pack = tmp_path / "zip64.zip"
    pack.write_bytes(zip64_end + locator + end)
    monkeypatch.setattr(ep.zipfile, "ZipFile", NoZipFile)
    with pytest.raises(ep.PackError, match="entries"):
        ep.verify_pack(pack)


def test_an_ordinary_pack_passes_the_index_check(exposure_home: Path, tmp_path: Path) -> None:
    seed(exposure_home)
    out = tmp_path / "pack.zip"
    assert main(export_args(out)) == 0
    assert ep.verify_pack(out).ok
