"""`exposure scan` end to end against local HTTP servers, per the contract."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.cli import main

BLOCK_PAGE = (
    "<html><head><title>Just a moment...</title></head><body>"
    "<div id='cf-chl-widget'>Checking your browser</div>"
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"
    "</body></html>"
)


def site(name: str, base: str, **extra: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": name,
        "uri_check": f"{base}/{name.lower()}/{{account}}",
        "e_code": 200,
        "e_string": "profile of",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["someone"],
        "cat": "social",
    }
    entry.update(extra)
    return entry


@pytest.fixture
def fake_web(httpserver: HTTPServer, tmp_path: Path) -> Path:
    """Four sites: one where janedoe exists, one where not, one blocked, one broken."""

    def answer(request: Request) -> Response:
        path = request.path
        if path == "/robots.txt":
            return Response("", status=404)
        if path.startswith("/found/"):
            user = path.rsplit("/", 1)[-1]
            return Response(f"<h1>profile of {user}</h1>", status=200)
        if path.startswith("/missing/"):
            return Response("<p>no such user</p>", status=404)
        if path.startswith("/walled/"):
            return Response(BLOCK_PAGE, status=403)
        return Response("<p>something odd</p>", status=200)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    catalogue = {
        "sites": [
            site("Found", base),
            site("Missing", base),
            site("Walled", base),
            site("Odd", base),
        ]
    }
    path = tmp_path / "sites.json"
    path.write_text(json.dumps(catalogue))
    return path


def add_jane(*extra: str) -> None:
    assert (
        main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe", *extra]) == 0
    )


def scan_json(capsys: pytest.CaptureFixture[str], sites: Path, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    status = main(
        [
            "scan",
            "--profile",
            "jane",
            "--only",
            "sites",
            "--sites",
            str(sites),
            "--format",
            "json",
            *extra,
        ]
    )
    out = capsys.readouterr().out
    return status, (json.loads(out) if out.strip() else {})


def test_scan_json_contract_and_exit_statuses(
    fake_web: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    status, doc = scan_json(capsys, fake_web)
    assert status == 3  # new findings
    assert doc["profile"] == "jane" and isinstance(doc["scan_id"], int)
    assert doc["started_at"].endswith("Z") and doc["finished_at"].endswith("Z")
    by_source = {c["source"]: c for c in doc["checks"]}
    assert by_source["Found"]["status"] == "found"
    assert by_source["Missing"]["status"] == "absent"
    assert by_source["Walled"]["status"] == "blocked"  # never absent
    assert by_source["Odd"]["status"] == "error"  # never a guess
    for check in doc["checks"]:
        assert set(check) >= {"checker", "source", "status", "url", "detail", "elapsed_ms"}
    [finding] = doc["findings"]
    assert finding["source"] == "Found" and finding["kind"] == "account"
    assert finding["new"] is True
    assert set(finding) >= {
        "id",
        "checker",
        "url",
        "confidence",
        "reasons",
        "matched",
        "first_seen",
        "last_seen",
        "evidence",
    }
    assert len(finding["evidence"]["sha256"]) == 64

    status, again = scan_json(capsys, fake_web)
    assert status == 0  # nothing new
    assert again["findings"][0]["id"] == finding["id"]
    assert again["findings"][0]["new"] is False

    status, quiet = scan_json(capsys, fake_web, "--new-only")
    assert status == 0 and quiet == {}  # nothing new: prints nothing


def test_known_account_is_marked_as_theirs(
    fake_web: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane("--account", httpserver.url_for("/found/janedoe"))
    _, doc = scan_json(capsys, fake_web)
    [finding] = doc["findings"]
    assert finding["matched"]["own"] is True
    assert finding["confidence"] == 1.0


def test_text_output_lists_blocked_sources_for_manual_checking(
    fake_web: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    status = main(["scan", "--profile", "jane", "--sites", str(fake_web), "--only", "sites"])
    out = capsys.readouterr().out
    assert status == 3
    assert "check these by hand" in out
    assert "Walled" in out and "Found" in out


def test_dry_run_sends_nothing(
    fake_web: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    capsys.readouterr()
    assert (
        main(
            [
                "scan",
                "--profile",
                "jane",
                "--only",
                "sites",
                "--sites",
                str(fake_web),
                "--dry-run",
                "--format",
                "json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    hosts = doc["sends"]["sites"]
    assert list(hosts.values()) == [["username=janedoe"]]
    assert len(httpserver.log) == 0


def test_private_field_keeps_checker_from_running(
    fake_web: Path,
    exposure_home: Path,
    httpserver: HTTPServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_jane()
    (exposure_home / "config.toml").write_text('private_fields = ["username"]\n')
    status, doc = scan_json(capsys, fake_web)
    # Nothing was checked, so this is not an all-clear: exit 1, and the coverage says why.
    assert status == 1 and doc["checks"] == []
    assert doc["coverage"]["attempted"] == 0 and doc["score"]["known"] is False
    [sites] = doc["coverage"]["checkers"]
    assert sites["state"] == "skipped" and "nothing to look up" in sites["left_out"]
    assert len(httpserver.log) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scan", "--profile", "nobody"], "nobody"),
        (["scan", "--profile", "jane", "--only", "nosuch"], "unknown checker"),
        (["scan", "--profile", "jane", "--sites", "/no/such/file.json"], "no such file"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_broken_sites_file_exits_2_naming_file_and_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"sites": [{"name": "NoUrl", "e_code": 200}]}))
    capsys.readouterr()
    assert main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert "broken.json" in err and "NoUrl" in err and "\n" not in err

    notjson = tmp_path / "notjson.json"
    notjson.write_text("{ this is not json")
    assert main(["scan", "--profile", "jane", "--only", "sites", "--sites", str(notjson)]) == 2
    assert "notjson.json" in capsys.readouterr().err


def test_findings_command_formats(fake_web: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_jane()
    scan_json(capsys, fake_web)
    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["source"] for f in doc["findings"]] == ["Found"]
    assert main(["findings", "--profile", "jane", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("profile,id,checker") and len(lines) == 2
    assert main(["findings", "--profile", "jane"]) == 0
    assert "Found" in capsys.readouterr().out


def _slow_server(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A server of ours in another process that answers slowly (so a scan can be stopped)."""
    script = tmp_path / "slow.py"
    script.write_text(
        "import http.server, socketserver, sys, time\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        if self.path != '/robots.txt': time.sleep(0.3)\n"
        "        body = b'no such user'\n"
        "        self.send_response(404); self.send_header('Content-Length', str(len(body)))\n"
        "        self.end_headers(); self.wfile.write(body)\n"
        "    def log_message(self, *a): pass\n"
        "class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True\n"
        "s = S(('127.0.0.1', 0), H); print(s.server_address[1], flush=True)\n"
        "s.serve_forever()\n"
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, port


def _wait_for_first_check(db: Path, scan: subprocess.Popen[bytes]) -> None:
    """Return once the running scan has committed a check to its store (read-only peeks)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert scan.poll() is None, "the scan ended before any check finished"
        if db.exists():
            try:
                with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
                    if conn.execute("SELECT count(*) FROM checks").fetchone()[0] >= 1:
                        return
            except sqlite3.OperationalError:
                pass  # the schema is not there yet, or the scan is mid-write
        time.sleep(0.05)
    raise AssertionError("no check finished within 60 s")


def test_ctrl_c_exits_130_and_keeps_what_finished(tmp_path: Path, exposure_home: Path) -> None:
    server, port = _slow_server(tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        catalogue = {"sites": [site(f"S{i}", base) for i in range(200)]}
        sites = tmp_path / "many.json"
        sites.write_text(json.dumps(catalogue))
        env = dict(os.environ, EXPOSURE_HOME=str(exposure_home))
        run = [sys.executable, "-m", "exposure.cli"]
        subprocess.run(
            [*run, "profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"],
            env=env,
            check=True,
        )
        scan = subprocess.Popen(
            [
                *run,
                "scan",
                "--profile",
                "jane",
                "--only",
                "sites",
                "--sites",
                str(sites),
                "--concurrency",
                "2",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _wait_for_first_check(exposure_home / "exposure.db", scan)
        scan.send_signal(signal.SIGINT)
        _, err = scan.communicate(timeout=20)
        assert scan.returncode == 130, err
        assert b"interrupted" in err
        from exposure.engine.store import Store

        with Store(exposure_home / "exposure.db", exposure_home / "evidence") as store:
            [record] = store.scans("jane")
            assert record.state == "interrupted"
            kept = store.checks(record.scan_id)
            assert 1 <= len(kept) < 200
            assert all(c.status.value == "absent" for c in kept)
    finally:
        server.terminate()
        server.wait()


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from exposure import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: cli.main(['--help'])\n"
        "    except SystemExit: pass\n"
        "import exposure.engine.scan\n"
        "bad = [m for m in ('textual', 'bs4', 'rich', 'exposure.checkers.sites', 'requests')\n"
        "       if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_a_scan_where_nothing_answered_fails_loudly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    dead = {"sites": [site(f"Dead{i}", "http://127.0.0.1:9") for i in range(3)]}
    sites = tmp_path / "dead.json"
    sites.write_text(json.dumps(dead))
    capsys.readouterr()
    status = main(
        [
            "scan",
            "--profile",
            "jane",
            "--only",
            "sites",
            "--sites",
            str(sites),
            "--new-only",
            "--quiet",
        ]
    )
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert "no source could be checked" in captured.err


def test_findings_without_profiles_says_how_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["findings"]) == 0
    assert "exposure profile add" in capsys.readouterr().err


def test_dry_run_text_lists_each_host_and_what_does_not_run(
    fake_web: Path,
    exposure_home: Path,
    httpserver: HTTPServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_jane()
    dry = ["scan", "--profile", "jane", "--only", "sites", "--sites", str(fake_web), "--dry-run"]
    capsys.readouterr()
    assert main(dry) == 0
    host = httpserver.host
    assert capsys.readouterr().out.splitlines() == [
        "Dry run for jane: nothing is sent.",
        "  sites: 1 host(s)",
        f"    {host}  <-  username=janedoe",
    ]
    (exposure_home / "config.toml").write_text('private_fields = ["username"]\n')
    assert main(dry) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Dry run for jane: nothing is sent.",
        # A private field is never offered to a checker; one that needs only it
        # does not run, and the dry run says why, as the scan does.
        "  sites: does not run: nothing to look up: all it would send is username, "
        "marked private in config",
    ]
    assert len(httpserver.log) == 0
