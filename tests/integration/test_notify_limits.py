"""The notify command gets no secrets and cannot flood us (issue 14 item 8)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pytest

from exposure.engine.notify import minimal_environment, notify

DOC = {"profile": "jane", "scan_id": 7, "findings": [{"new": True}]}


def test_the_notify_command_gets_a_minimal_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = {
        "EXPOSURE_HIBP_API_KEY": "hibp-secret",
        "EXPOSURE_GITHUB_TOKEN": "ghp-secret",
        "EXPOSURE_BRAVE_API_KEY": "brave-secret",
        "GITHUB_TOKEN": "other-token",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "KEYRING_PROPERTY_PASSWORD": "kr-secret",
        "AWS_SECRET_ACCESS_KEY": "aws-secret",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LANG", "C.UTF-8")
    out = tmp_path / "env.json"
    script = f"import json, os; open({str(out)!r}, 'w').write(json.dumps(dict(os.environ)))"
    result = notify([sys.executable, "-c", script], DOC)
    assert result.ok, result.problem
    seen = json.loads(out.read_text())
    assert not set(secrets) & set(seen)
    assert not any(v in seen.values() for v in secrets.values())
    assert seen["EXPOSURE_PROFILE"] == "jane" and seen["EXPOSURE_NEW_FINDINGS"] == "1"
    assert seen["LANG"] == "C.UTF-8" and "PATH" in seen


def test_minimal_environment_is_an_allow_list() -> None:
    env = minimal_environment({"PATH": "/bin", "LC_ALL": "C", "RANDOM_THING": "x", "HOME": "/h"})
    assert env == {"PATH": "/bin", "LC_ALL": "C", "HOME": "/h"}


def test_a_flood_on_stderr_costs_neither_memory_nor_time() -> None:
    """400 MB of stderr and a failing exit: one short warning, bounded memory, quick."""
    script = (
        "import sys\n"
        "block = b'x' * (1 << 20)\n"
        "try:\n"
        "    for _ in range(400): sys.stderr.buffer.write(block)\n"
        "    sys.stderr.buffer.write(b'\\nlast words\\n')\n"
        "except BrokenPipeError: pass\n"
        "sys.exit(4)\n"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.monotonic()
    result = notify([sys.executable, "-c", script], DOC, timeout=60)
    took = time.monotonic() - started
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert not result.ok
    assert len(result.problem) < 400 and "\n" not in result.problem
    assert grown_mib < 50, grown_mib
    assert took < 20, took
