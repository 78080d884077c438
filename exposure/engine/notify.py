"""Tell someone about new findings: run a command of the person's with the scan's JSON.

``exposure scan --notify-command CMD`` runs CMD when a scan has new findings
(``notify-send``, ``mail``, a webhook script...). Why a command and not a
built-in mailer or webhook: the person already has the tool they want to be
told by, and a command keeps credentials for it out of exposure entirely.

The command is split like a shell would (:func:`parse_command`, ``shlex``)
but never run through a shell, so nothing in a finding can inject anything.
It gets the scan's JSON document (the same one ``--format json`` prints) on
stdin and a few ``EXPOSURE_*`` variables in its environment. It is
time-limited (60 s by default; its whole process group is killed after
that). Its failure is reported on one stderr line and never changes the
scan's exit status: the scan itself worked.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
from dataclasses import dataclass
from typing import Any

from exposure.errors import UsageError
from exposure.textsafe import clean

DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class NotifyResult:
    """How the notify command went: ``ok`` or a one-line ``problem``."""

    ok: bool
    problem: str = ""
    returncode: int | None = None


def parse_command(text: str) -> list[str]:
    """``CMD`` split into an argv list; bad quoting or an empty command is a UsageError."""
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"--notify-command {text!r} cannot be split: {exc}") from None
    if not argv:
        raise UsageError("--notify-command is empty")
    return argv


def notify(
    argv: list[str], document: dict[str, Any], *, timeout: float = DEFAULT_TIMEOUT
) -> NotifyResult:
    """Run ``argv`` with ``document`` as JSON on stdin; never raises for the command's faults."""
    payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
    findings = document.get("findings") or []
    env = dict(os.environ)
    env.update(
        {
            "EXPOSURE_PROFILE": str(document.get("profile", "")),
            "EXPOSURE_SCAN_ID": str(document.get("scan_id", "")),
            "EXPOSURE_NEW_FINDINGS": str(sum(1 for f in findings if f.get("new"))),
        }
    )
    name = clean(argv[0], limit=80)
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # its own process group, so a timeout kills all of it
        )
    except OSError as exc:
        return NotifyResult(False, f"notify command {name} could not start: {exc.strerror or exc}")
    try:
        _, err = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return NotifyResult(False, f"notify command {name} took longer than {timeout:g}s; stopped")
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        last = clean(lines[-1], limit=200).strip() if lines else ""
        tail = f": {last}" if last else ""
        return NotifyResult(
            False,
            f"notify command {name} failed (exit status {proc.returncode}){tail}",
            proc.returncode,
        )
    return NotifyResult(True, returncode=0)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=5)
