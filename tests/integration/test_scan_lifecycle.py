"""How a scan ends when it is killed, refused or raced (issue 14 items 4, 5, 11)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exposure.cli import main
from exposure.engine.locking import UnsafeLockFile, lock_is_free, scan_lock
from exposure.engine.store import Store

SLOW_SERVER = (
    "import http.server, socketserver, time\n"
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


def _state(database: Path) -> list[str]:
    if not database.exists():
        return []
    try:
        with sqlite3.connect(database) as db:
            return [row[0] for row in db.execute("SELECT state FROM scans ORDER BY id")]
    except sqlite3.Error:
        return []


def test_sigterm_ends_a_scan_interrupted_like_ctrl_c(tmp_path: Path, exposure_home: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text(SLOW_SERVER)
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{int(server.stdout.readline())}"
        sites = tmp_path / "many.json"
        entries = [
            {
                "name": f"S{i}",
                "uri_check": f"{base}/s{i}/{{account}}",
                "e_code": 200,
                "e_string": "profile of",
                "m_code": 404,
                "m_string": "no such user",
                "known": ["someone"],
                "cat": "social",
            }
            for i in range(200)
        ]
        sites.write_text(json.dumps({"sites": entries}))
        env = dict(os.environ, EXPOSURE_HOME=str(exposure_home))
        run = [sys.executable, "-m", "exposure.cli"]
        subprocess.run(
            [*run, "profile", "add", "jane", "--username", "janedoe"], env=env, check=True
        )
        scan = subprocess.Popen(
            [*run, "scan", "--profile", "jane", "--only", "sites", "--sites", str(sites)]
            + ["--concurrency", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while _state(exposure_home / "exposure.db") != ["running"]:
            assert scan.poll() is None and time.monotonic() < deadline, scan.communicate()
            time.sleep(0.05)
        scan.send_signal(signal.SIGTERM)
        _, err = scan.communicate(timeout=20)
    finally:
        server.terminate()
        server.wait()
    assert scan.returncode == 130, err
    assert b"interrupted" in err
    assert _state(exposure_home / "exposure.db") == ["interrupted"]


def _killed_scan(home: Path) -> int:
    """A scan left 'running' by a process that died without a word (SIGKILL)."""
    with Store(home / "exposure.db", home / "evidence") as store:
        return store.begin_scan("jane", ["sites"]).scan_id


def test_a_later_command_marks_a_dead_scan_interrupted(exposure_home: Path) -> None:
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    _killed_scan(exposure_home)
    assert _state(exposure_home / "exposure.db") == ["running"]
    assert main(["findings", "--profile", "jane"]) == 0
    assert _state(exposure_home / "exposure.db") == ["interrupted"]


def test_a_scan_whose_process_holds_the_lock_stays_running(exposure_home: Path) -> None:
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    locks = exposure_home / "locks"
    with scan_lock(locks, "jane"):  # a live scan (this process) holds it
        _killed_scan(exposure_home)
        assert not lock_is_free(locks, "jane")
        assert main(["findings", "--profile", "jane"]) == 0
        assert _state(exposure_home / "exposure.db") == ["running"]
    assert lock_is_free(locks, "jane")


def test_a_symlinked_lock_file_is_refused_and_its_target_kept(
    tmp_path: Path, exposure_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate me")
    locks = exposure_home / "locks"
    locks.mkdir(parents=True, mode=0o700)
    (locks / "jane.lock").symlink_to(target)
    with pytest.raises(UnsafeLockFile, match="symlink"), scan_lock(locks, "jane"):
        pass
    assert target.read_text() == "do not truncate me"
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    capsys.readouterr()
    assert main(["scan", "--profile", "jane", "--only", "sites"]) == 1
    err = capsys.readouterr().err
    assert "symlink" in err and len(err.strip().splitlines()) == 1
    assert target.read_text() == "do not truncate me"


def test_schedule_install_never_follows_a_planted_temporary_file(
    tmp_path: Path, exposure_home: Path
) -> None:
    """Today's predictable name .<tab>.<pid>.tmp was opened O_CREAT|O_TRUNC through a symlink."""
    assert main(["profile", "add", "jane", "--username", "janedoe"]) == 0
    tab = tmp_path / "cron.tab"
    tab.write_text("# mine\n")
    precious = tmp_path / "precious.txt"
    precious.write_text("do not truncate me")
    (tmp_path / f".{tab.name}.{os.getpid()}.tmp").symlink_to(precious)
    argv = ["schedule", "install", "--profile", "jane", "--every", "daily", "--tabfile", str(tab)]
    assert main(argv) == 0
    assert precious.read_text() == "do not truncate me"
    assert not tab.is_symlink()
    assert "# mine" in tab.read_text() and "exposure" in tab.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]
