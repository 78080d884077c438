"""A full disk keeps finished work; a read-only home still reads (issue 14 item 3).

The full disk is an injected ``OSError(ENOSPC)`` from the evidence writer; the
read-only mount is what ``statvfs`` reports (faked), the rest is real SQLite.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure import paths
from exposure.cli import main


def _site(name: str, base: str) -> dict[str, object]:
    return {
        "name": name,
        "uri_check": f"{base}/{name.lower()}/{{account}}",
        "e_code": 200,
        "e_string": "profile of",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["someone"],
        "cat": "social",
    }


@pytest.fixture
def sites(httpserver: HTTPServer, tmp_path: Path) -> Path:
    def answer(request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response("", status=404)
        if request.path.startswith("/found"):
            return Response(f"<h1>profile of janedoe at {request.path}</h1>", status=200)
        return Response("<p>no such user</p>", status=404)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    catalogue = {"sites": [_site(f"Found{i}", base) for i in range(3)] + [_site("Gone", base)]}
    path = tmp_path / "sites.json"
    path.write_text(json.dumps(catalogue))
    return path


def _rows(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "exposure.db") as db:
        return db.execute(sql).fetchall()


def test_a_full_disk_keeps_checks_and_findings_and_says_so(
    sites: Path,
    exposure_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    real = paths.write_private

    def full_disk(path: Path, data: bytes | str, *, durable: bool = True) -> None:
        if "evidence" in path.parts:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data, durable=durable)

    monkeypatch.setattr(paths, "write_private", full_disk)
    capsys.readouterr()
    status = main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)])
    err = capsys.readouterr().err
    assert status == 130, err
    assert "Traceback" not in err
    [line] = [x for x in err.splitlines() if "disk full" in x]
    assert "checks kept" in line and "captures missing for" in line
    [(state,)] = _rows(exposure_home, "SELECT state FROM scans")
    assert state == "interrupted"
    checks = _rows(exposure_home, "SELECT source, status FROM checks")
    assert checks, "the answered checks were rolled back"
    found = _rows(exposure_home, "SELECT source, capture_id FROM findings")
    assert found and all(capture is None for _source, capture in found)
    kept = int(line.split("disk full: ")[1].split(" checks")[0])
    assert kept == len(checks)


def test_a_read_only_home_still_reads_and_a_write_says_why(
    sites: Path,
    exposure_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    assert main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)]) == 3
    (exposure_home / "exposure.db").chmod(0o644)  # so opening would chmod it back
    real_statvfs = os.statvfs

    class ReadOnly:
        def __init__(self, real: os.statvfs_result) -> None:
            self._real = real
            self.f_flag = real.f_flag | os.ST_RDONLY

        def __getattr__(self, name: str) -> object:
            return getattr(self._real, name)

    def statvfs(path: object) -> object:
        result = real_statvfs(path)  # type: ignore[arg-type]
        inside = str(path).startswith(str(exposure_home))
        return ReadOnly(result) if inside else result

    def no_chmod(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "statvfs", statvfs)
    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.setattr(Path, "chmod", no_chmod)
    capsys.readouterr()
    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["findings"]) == 3
    status = main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)])
    err = capsys.readouterr().err
    assert status != 0
    assert "read-only" in err and "Traceback" not in err
    assert len([x for x in err.splitlines() if "read-only" in x]) == 1
