"""Scheduled rescans: tagged cron entries, the scan lock, and --new-only output."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from exposure.cli import main
from exposure.engine import schedule

EXISTING = "MAILTO=me@example.org\n# my own job\n5 4 * * * /usr/bin/backup --all # backup\n"


def add_jane() -> None:
    assert main(["profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"]) == 0


def tagged(tab: Path) -> list[str]:
    return [line for line in tab.read_text().splitlines() if "# exposure:" in line]


def test_install_twice_keeps_one_entry_and_other_lines(
    tmp_path: Path, exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    tab = tmp_path / "crontab"
    tab.write_text(EXISTING)
    argv = ["schedule", "install", "--profile", "jane", "--tabfile", str(tab)]
    assert main([*argv, "--every", "daily", "--at", "07:30"]) == 0
    assert main([*argv, "--every", "weekly", "--at", "21:05"]) == 0
    text = tab.read_text()
    assert "MAILTO=me@example.org" in text and "/usr/bin/backup --all # backup" in text
    assert "# my own job" in text
    [line] = tagged(tab)
    assert line.startswith("5 21 * * 1 ")  # the second install replaced the first
    assert line.endswith("# exposure:jane")
    words = shlex.split(line.split(" # ")[0])[5:]
    assert words[0] == f"EXPOSURE_HOME={exposure_home.resolve()}"
    assert os.path.isabs(words[1])
    assert words[-6:] == ["scan", "--profile", "jane", "--new-only", "--quiet", "--scheduled"]


def test_all_and_profile_entries_are_separate_and_removable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    tab = tmp_path / "crontab"  # missing file: created
    assert main(["schedule", "install", "--all", "--every", "monthly", "--tabfile", str(tab)]) == 0
    assert (
        main(
            ["schedule", "install", "--profile", "jane", "--every", "daily", "--tabfile", str(tab)]
        )
        == 0
    )
    assert len(tagged(tab)) == 2
    capsys.readouterr()
    assert main(["schedule", "show", "--tabfile", str(tab), "--format", "json"]) == 0
    shown = {e["tag"]: e for e in json.loads(capsys.readouterr().out)}
    assert set(shown) == {"exposure:all", "exposure:jane"}
    assert shown["exposure:all"]["when"] == "monthly on day 1 at 09:00"
    assert shown["exposure:jane"]["when"] == "daily at 09:00"
    assert "--all" in shown["exposure:all"]["command"]

    assert main(["schedule", "remove", "--profile", "jane", "--tabfile", str(tab)]) == 0
    assert [line.split("# ")[-1] for line in tagged(tab)] == ["exposure:all"]
    capsys.readouterr()
    assert main(["schedule", "remove", "--profile", "jane", "--tabfile", str(tab)]) == 0
    assert "no scheduled scan of jane" in capsys.readouterr().out


def test_notify_command_with_percent_survives_cron_escaping(tmp_path: Path) -> None:
    add_jane()
    tab = tmp_path / "crontab"
    assert (
        main(
            [
                "schedule",
                "install",
                "--profile",
                "jane",
                "--every",
                "daily",
                "--tabfile",
                str(tab),
                "--notify-command",
                "notify-send 'new 100%'",
            ]
        )
        == 0
    )
    [line] = tagged(tab)
    assert "100\\%" in line  # cron would start stdin at a bare %
    [entry] = schedule.entries(tab)
    assert shlex.split(entry.command)[-2:] == ["--notify-command", "notify-send 'new 100%'"]


def test_without_exposure_home_nothing_is_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    target = schedule.Target("profile", "jane")
    monkeypatch.delenv("EXPOSURE_HOME")
    line = schedule.command_line(target, home=schedule.current_home(), argv=["/x/exposure"])
    assert line == "/x/exposure scan --profile jane --new-only --quiet --scheduled"


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--profile", "nobody", "--every", "daily"], 2, "unknown profile"),
        (["--guardian", "jane", "--every", "daily"], 2, "nobody's guardian"),
        (["--profile", "jane", "--every", "daily", "--at", "25:00"], 2, "invalid --at"),
        (
            ["--profile", "jane", "--every", "daily", "--notify-command", "'unclosed"],
            2,
            "cannot be split",
        ),
    ],
)
def test_bad_input(
    argv: list[str],
    status: int,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_jane()
    tab = tmp_path / "crontab"
    capsys.readouterr()
    assert main(["schedule", "install", *argv, "--tabfile", str(tab)]) == status
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
    assert not tab.exists()


def test_unwritable_crontab_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    tab = tmp_path / "no-such-folder" / "crontab"
    capsys.readouterr()
    assert (
        main(
            ["schedule", "install", "--profile", "jane", "--every", "daily", "--tabfile", str(tab)]
        )
        == 1
    )
    err = capsys.readouterr().err.strip()
    assert "cannot write the crontab file" in err and "\n" not in err


def test_user_crontab_without_crontab_program(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import crontab

    add_jane()
    monkeypatch.setattr(crontab, "CRON_COMMAND", "/no/such/crontab")
    capsys.readouterr()
    assert main(["schedule", "show"]) == 1
    err = capsys.readouterr().err.strip()
    assert "cannot read your crontab" in err and "--tabfile" in err and "\n" not in err


# --------------------------------------------------------------------------- the scan side


@pytest.fixture
def sites(httpserver: HTTPServer, tmp_path: Path) -> Path:
    def answer(request: Request) -> Response:
        if request.path == "/robots.txt":
            return Response("", status=404)
        if request.path.startswith("/found/"):
            return Response("<h1>profile of janedoe</h1>", status=200)
        return Response("no such user", status=404)

    httpserver.expect_request("").respond_with_handler(answer)
    base = httpserver.url_for("").rstrip("/")
    entry = {
        "e_code": 200,
        "e_string": "profile of",
        "m_code": 404,
        "m_string": "no such user",
        "known": ["x"],
        "cat": "social",
    }
    path = tmp_path / "sites.json"
    path.write_text(
        json.dumps(
            {
                "sites": [
                    {"name": "Found", "uri_check": f"{base}/found/{{account}}", **entry},
                    {"name": "Missing", "uri_check": f"{base}/missing/{{account}}", **entry},
                ]
            }
        )
    )
    return path


def test_new_only_quiet_prints_nothing_on_an_unchanged_rescan(
    sites: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_jane()
    argv = [
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
    capsys.readouterr()
    assert main(argv) == 3
    first = capsys.readouterr()
    assert "Found" in first.out  # what is new is printed
    assert main(argv) == 0
    again = capsys.readouterr()
    assert again.out == "" and again.err == ""  # cron mails nothing


def _held_server(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    """A server in another process that holds every answer until the returned file exists."""
    release = tmp_path / "release"
    script = tmp_path / "slow.py"
    script.write_text(
        "import http.server, os, socketserver, sys, time\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        end = time.monotonic() + 60\n"
        "        while self.path != '/robots.txt' and not os.path.exists(sys.argv[1]) "
        "and time.monotonic() < end:\n"
        "            time.sleep(0.02)\n"
        "        body = b'no such user'\n"
        "        self.send_response(404); self.send_header('Content-Length', str(len(body)))\n"
        "        self.end_headers(); self.wfile.write(body)\n"
        "    def log_message(self, *a): pass\n"
        "class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True\n"
        "s = S(('127.0.0.1', 0), H); print(s.server_address[1], flush=True)\n"
        "s.serve_forever()\n"
    )
    proc = subprocess.Popen([sys.executable, str(script), str(release)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline()), release


def test_second_scan_of_a_profile_says_so_and_records_nothing(
    tmp_path: Path, exposure_home: Path
) -> None:
    server, port, release = _held_server(tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        entry = {
            "e_code": 200,
            "e_string": "profile of",
            "m_code": 404,
            "m_string": "no such user",
            "known": ["x"],
            "cat": "social",
        }
        catalogue = {
            "sites": [
                {"name": f"S{i}", "uri_check": f"{base}/s{i}/{{account}}", **entry}
                for i in range(2)
            ]
        }
        path = tmp_path / "slow.json"
        path.write_text(json.dumps(catalogue))
        env = dict(os.environ, EXPOSURE_HOME=str(exposure_home))
        run = [sys.executable, "-m", "exposure.cli"]
        subprocess.run(
            [*run, "profile", "add", "jane", "--name", "Jane Doe", "--username", "janedoe"],
            env=env,
            check=True,
        )
        scan = [*run, "scan", "--profile", "jane", "--only", "sites", "--sites", str(path)]
        first = subprocess.Popen(scan, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lock = exposure_home / "locks" / "jane.lock"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not (lock.exists() and lock.read_text()):
            time.sleep(0.05)
        second = subprocess.run(scan, env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 1  # refused: not "finished, nothing new"
        assert "already being scanned" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        assert second.stdout == ""
        release.touch()  # the first scan's answers come only now: it was running throughout
        first.communicate(timeout=30)
        assert first.returncode == 0
        from exposure.engine.store import Store

        with Store(exposure_home / "exposure.db", exposure_home / "evidence") as store:
            assert len(store.scans("jane")) == 1  # the second scan recorded nothing
    finally:
        server.terminate()
        server.wait()
