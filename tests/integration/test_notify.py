"""--notify-command: the scan's JSON on stdin when something is new; failures never fatal."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.cli import main
from exposure.engine.notify import notify, parse_command
from exposure.errors import UsageError


@pytest.fixture
def sites(httpserver: HTTPServer, tmp_path: Path) -> Path:
    def answer(request: Request) -> Response:
        if request.path.startswith("/found/"):
            return Response("<h1>profile of janedoe</h1>", status=200)
        return Response("no such user", status=404)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    path = tmp_path / "sites.json"
    path.write_text(
        json.dumps(
            {
                "sites": [
                    {
                        "name": "Found",
                        "uri_check": f"{base}/found/{{account}}",
                        "e_code": 200,
                        "e_string": "profile of",
                        "m_code": 404,
                        "m_string": "no such user",
                        "known": ["x"],
                        "cat": "social",
                    }
                ]
            }
        )
    )
    return path


def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A notify command (python script) that writes its stdin and environment to files."""
    out = tmp_path / "received.json"
    script = tmp_path / "record.py"
    script.write_text(
        "import os, sys, pathlib\n"
        "out = pathlib.Path(sys.argv[1])\n"
        "out.write_bytes(sys.stdin.buffer.read())\n"
        "out.with_suffix('.env').write_text(os.environ['EXPOSURE_PROFILE'] + ' ' +"
        " os.environ['EXPOSURE_NEW_FINDINGS'])\n"
    )
    command = " ".join(shlex.quote(w) for w in (sys.executable, str(script), str(out)))
    return command, out


def scan(sites: Path, *extra: str) -> int:
    return main(
        ["scan", "--profile", "jane", "--only", "sites", "--sites", str(sites), "--quiet", *extra]
    )


def add_jane() -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"]) == 0


def test_notify_command_receives_the_scan_json(sites: Path, tmp_path: Path) -> None:
    add_jane()
    command, out = recorder(tmp_path)
    assert scan(sites, "--new-only", "--notify-command", command) == 3
    doc = json.loads(out.read_text())
    assert doc["profile"] == "jane" and isinstance(doc["scan_id"], int)
    [finding] = doc["findings"]
    assert finding["source"] == "Found" and finding["new"] is True
    assert out.with_suffix(".env").read_text() == "jane 1"

    out.unlink()
    assert scan(sites, "--new-only", "--notify-command", command) == 0
    assert not out.exists()  # nothing new: nobody is bothered


def test_failing_notify_command_is_reported_but_keeps_the_exit_status(
    sites: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    failing = tmp_path / "fail.py"
    failing.write_text(
        "import sys\nsys.stdin.read()\nprint('webhook down', file=sys.stderr)\nsys.exit(4)\n"
    )
    capsys.readouterr()
    assert scan(sites, "--notify-command", f"{sys.executable} {failing}") == 3
    err = capsys.readouterr().err
    assert "failed (exit status 4): webhook down" in err

    assert scan(sites, "--notify-command", "/no/such/notifier --flag") in (0, 3)
    # nothing new on this rescan, so the missing notifier is never even started
    assert "could not start" not in capsys.readouterr().err


def test_missing_notifier_is_one_warning(tmp_path: Path) -> None:
    result = notify(["/no/such/notifier"], {"profile": "jane", "findings": []})
    assert not result.ok and "could not start" in result.problem


def test_notify_command_is_time_limited(tmp_path: Path) -> None:
    sleeper = tmp_path / "sleep.py"
    sleeper.write_text("import time\ntime.sleep(30)\n")
    result = notify([sys.executable, str(sleeper)], {"findings": []}, timeout=0.5)
    assert not result.ok and "longer than 0.5s" in result.problem


def test_no_shell_is_involved(tmp_path: Path) -> None:
    marker = tmp_path / "injected"
    argv = parse_command(f"{sys.executable} -c 'import sys; sys.stdin.read()' ; touch {marker}")
    assert ";" in argv  # a plain argument, not a shell operator
    result = notify(argv, {"findings": []})
    assert result.ok and not marker.exists()


@pytest.mark.parametrize("text", ["", "   ", "'unclosed"])
def test_bad_notify_command_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_command(text)


def test_bad_notify_command_exits_2_before_scanning(
    sites: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    capsys.readouterr()
    assert scan(sites, "--notify-command", "'unclosed") == 2
    assert "cannot be split" in capsys.readouterr().err
    assert len(httpserver.log) == 0
