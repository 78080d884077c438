"""`exposure sources check` (self-check), and the Maigret format in validate and update."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.catalogues.disabled import load_disabled
from exposure.cli import main


def configure(home: Path, **sites: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    lines = "".join(f'{k} = "{v}"\n' for k, v in sites.items())
    (home / "config.toml").write_text(
        "[http]\nmin_interval = 0.0\nretries = 0\ntimeout = 3.0\ndeadline = 5.0\n\n"
        f"[checkers.sites]\n{lines}",
        encoding="utf-8",
    )


def maigret_db(server: HTTPServer) -> dict[str, Any]:
    def site(path: str, **over: Any) -> dict[str, Any]:
        return {
            "url": server.url_for(f"/{path}/{{username}}"),
            "checkType": "status_code",
            "usernameClaimed": "alice",
            "usernameUnclaimed": "noonewouldeverusethis7",
            "tags": ["forum"],
            **over,
        }

    return {
        "sites": {
            "Healthy": site("healthy"),
            "Liar": site("liar"),  # "found" for anyone
            "Stale": site("stale"),  # the known account reads absent
            "Walled": site("walled"),  # 403: not our rule's fault
            "NoKnown": {**site("noknown"), "usernameClaimed": ""},
        },
        "engines": {},
        "tags": [],
    }


def serve(server: HTTPServer) -> None:
    def handler(request: Request) -> Response:
        folder, _, name = request.path.strip("/").partition("/")
        if folder == "healthy":
            return Response("profile", status=200 if name == "alice" else 404)
        if folder == "liar":
            return Response("profile", status=200)
        if folder == "walled":
            return Response("no", status=403)
        return Response("gone", status=404)

    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request(re.compile(r"^/(?!robots\.txt).+$")).respond_with_handler(handler)


@pytest.fixture
def db_file(httpserver: HTTPServer, tmp_path: Path, exposure_home: Path) -> Path:
    serve(httpserver)
    configure(exposure_home)
    path = tmp_path / "maigret.json"
    path.write_text(json.dumps(maigret_db(httpserver)), encoding="utf-8")
    return path


def test_self_check_reports_failures_and_writes_a_skip_list(
    db_file: Path, exposure_home: Path, tmp_path: Path, capsys
) -> None:
    skip = tmp_path / "skip.json"
    code = main(["sources", "check", "--sites", str(db_file), "--write-disabled", str(skip)])
    out = capsys.readouterr().out
    assert code == 1
    assert "5 sites: 1 passed, 2 failed, 2 not checked" in out
    assert re.search(r"failed\s+Liar: it answers 'found' for any name", out)
    assert re.search(r"failed\s+Stale: its known account reads absent", out)
    assert re.search(r"not checked\s+Walled", out) and re.search(r"not checked\s+NoKnown", out)
    assert load_disabled(skip) == {"liar", "stale"}  # never the sites that blocked us


def test_self_check_json_and_default_skip_list_that_scans_read(
    db_file: Path, exposure_home: Path, capsys
) -> None:
    assert main(["sources", "check", "--sites", str(db_file), "--format", "json",
                 "--write-disabled"]) == 1  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert sorted(f["site"] for f in doc["failed"]) == ["Liar", "Stale"]
    assert doc["passed"] == 1 and doc["checked"] == 3
    assert load_disabled() == {"liar", "stale"}  # the default list, in the home


def test_an_unwritable_skip_list_is_one_line_exit_2_before_any_request(
    httpserver: HTTPServer, db_file: Path, tmp_path: Path, capsys
) -> None:
    code = main(["sources", "check", "--sites", str(db_file), "--write-disabled",
                 str(tmp_path / "no" / "such" / "dir" / "x.json")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--write-disabled" in err
    assert [r.path for r, _ in httpserver.log] == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_folder_for_the_skip_list_is_one_line(db_file: Path, tmp_path: Path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    code = main(["sources", "check", "--sites", str(db_file), "--write-disabled",
                 str(folder / "x.json")])  # fmt: skip
    assert code == 2 and "cannot write" in capsys.readouterr().err


def test_validate_reads_maigret(db_file: Path, capsys) -> None:
    assert main(["sources", "validate", str(db_file)]) == 0
    assert "Maigret catalogue, 5 sites loaded, 0 skipped" in capsys.readouterr().out


def test_update_maigret_saves_only_a_maigret_file(
    httpserver: HTTPServer, exposure_home: Path, capsys
) -> None:
    body = json.dumps(maigret_db(httpserver)).encode()
    httpserver.expect_request("/data.json").respond_with_data(body)
    httpserver.expect_request("/wmn.json").respond_with_data(b'{"sites": []}')
    configure(exposure_home, maigret_url=httpserver.url_for("/data.json"))
    assert main(["sources", "update", "--maigret"]) == 0
    assert (exposure_home / "cache" / "maigret-data.json").read_bytes() == body
    assert "updated the Maigret catalogue: 5 sites" in capsys.readouterr().out
    configure(exposure_home, maigret_url=httpserver.url_for("/wmn.json"))
    assert main(["sources", "update", "--maigret"]) == 1
    assert (exposure_home / "cache" / "maigret-data.json").read_bytes() == body
