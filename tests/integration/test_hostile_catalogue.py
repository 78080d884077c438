"""A hostile catalogue regex cannot hang a scan or a dry run, nor block Ctrl-C (issue 14 item 1)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exposure.catalogues.regex_guard import (
    MAX_PATTERN_CHARS,
    PatternError,
    PatternTimeout,
    compile_bounded,
)
from exposure.catalogues.sites import parse_catalogue, unfit_reason

EVIL = r"^(a|aa)+$"  # exponential backtracking in Python's re on "aaaa...!"
VICTIM = "a" * 40 + "!"


def test_a_backtracking_pattern_times_out_quickly() -> None:
    pattern = compile_bounded(EVIL)
    started = time.monotonic()
    with pytest.raises(PatternTimeout):
        pattern.search(VICTIM)
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    with pytest.raises(PatternTimeout):  # known hostile now: refused without trying again
        pattern.search(VICTIM)
    assert time.monotonic() - started < 0.01
    assert compile_bounded(r"^[a-z0-9_]{3,20}$").search("janedoe")


def test_overlong_and_broken_patterns_are_refused() -> None:
    with pytest.raises(PatternError):
        compile_bounded("a" * (MAX_PATTERN_CHARS + 1))
    with pytest.raises(PatternError):
        compile_bounded("(unclosed")


def _sherlock(sites: int, url: str) -> str:
    return json.dumps(
        {
            f"Evil{i}": {"url": url, "errorType": "status_code", "regexCheck": EVIL}
            for i in range(sites)
        }
    )


def test_a_site_whose_pattern_times_out_is_skipped_with_a_reason() -> None:
    [site] = parse_catalogue(_sherlock(1, "http://127.0.0.1:9/{}"), "test").sites
    started = time.monotonic()
    reason = unfit_reason(site, VICTIM)
    assert time.monotonic() - started < 1.0
    assert reason is not None and "takes too long" in reason


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, EXPOSURE_HOME=str(home), NO_PROXY="*")


def _add_profile(home: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "exposure.cli", "profile", "add", "jane", "--username", VICTIM],
        env=_env(home),
        check=True,
        capture_output=True,
    )


def test_scan_and_dry_run_finish_with_a_hostile_pattern(
    tmp_path: Path, exposure_home: Path
) -> None:
    _add_profile(exposure_home)
    sites = tmp_path / "evil.json"
    sites.write_text(_sherlock(3, "http://127.0.0.1:9/{}"))
    base = [sys.executable, "-m", "exposure.cli", "scan", "--profile", "jane", "--only", "sites"]
    base += ["--sites", str(sites), "--format", "json"]
    dry = subprocess.run(
        [*base, "--dry-run"], env=_env(exposure_home), capture_output=True, timeout=30
    )
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["sends"]["sites"] == {}  # nothing would be sent
    scan = subprocess.run(base, env=_env(exposure_home), capture_output=True, timeout=30)
    doc = json.loads(scan.stdout)
    checks = doc["checks"]
    assert len(checks) == 3
    assert all(c["status"] == "skipped" and "takes too long" in c["detail"] for c in checks)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_ctrl_c_stops_a_dry_run_busy_with_hostile_patterns_within_a_second(
    tmp_path: Path, exposure_home: Path
) -> None:
    """400 distinct hostile patterns: the planning loop evaluates them on the main thread."""
    _add_profile(exposure_home)
    sites = tmp_path / "evil.json"
    catalogue = {
        f"Evil{i}": {
            "url": "http://127.0.0.1:9/{}",
            "errorType": "status_code",
            "regexCheck": f"{EVIL}|^z{i}$",
        }
        for i in range(400)
    }
    sites.write_text(json.dumps(catalogue))
    scan = subprocess.Popen(
        [sys.executable, "-m", "exposure.cli", "scan", "--profile", "jane", "--only", "sites"]
        + ["--sites", str(sites), "--dry-run"],
        env=_env(exposure_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Busy in the patterns: well past start-up (about 0.5 s of CPU) and still running.
        deadline = time.monotonic() + 60
        while _cpu_seconds(scan.pid) < 2.0:
            assert scan.poll() is None, scan.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        sent = time.monotonic()
        scan.send_signal(signal.SIGINT)
        _out, err = scan.communicate(timeout=15)
        took = time.monotonic() - sent
    finally:
        if scan.poll() is None:
            scan.kill()
            scan.wait()
    assert scan.returncode == 130, err
    assert took < 1.0, took
    assert b"interrupted" in err
