"""Tell someone about new findings: run a command of the person's with the scan's JSON.

``exposure scan --notify-command CMD`` runs CMD when a scan has new findings
(``notify-send``, ``mail``, a webhook script...). Why a command and not a
built-in mailer or webhook: the person already has the tool they want to be
told by, and a command keeps credentials for it out of exposure entirely.

The command is split like a shell would (:func:`parse_command`, ``shlex``)
but never run through a shell, so nothing in a finding can inject anything.
It gets the scan's JSON document (the same one ``--format json`` prints) on
stdin and a few ``EXPOSURE_*`` variables in a minimal environment (PATH,
HOME, locale, the desktop session; never API keys, tokens or keyring
settings). At most 64 KiB of its stderr is read. It is
time-limited (60 s by default; its whole process group is killed after
that). Its failure is reported on one stderr line and never changes the
scan's exit status: the scan itself worked.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from exposure.errors import UsageError
from exposure.textsafe import clean

DEFAULT_TIMEOUT = 60.0
STDERR_CAP = 64 * 1024  # bytes of the command's stderr read (for its last line)


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
    env = minimal_environment(os.environ)
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
    assert proc.stdin is not None and proc.stderr is not None
    err = bytearray()
    threads = [
        threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True),
        threading.Thread(target=_read_capped, args=(proc.stderr, err), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return NotifyResult(False, f"notify command {name} took longer than {timeout:g}s; stopped")
    finally:
        for thread in threads:
            thread.join(5)
    if proc.returncode != 0:
        lines = bytes(err).decode("utf-8", "replace").strip().splitlines()
        last = clean(lines[-1], limit=200).strip() if lines else ""
        tail = f": {last}" if last else ""
        return NotifyResult(
            False,
            f"notify command {name} failed (exit status {proc.returncode}){tail}",
            proc.returncode,
        )
    return NotifyResult(True, returncode=0)


def minimal_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """What the notify command inherits: enough to find programs and the desktop, no secrets.

    An allow-list, so API keys (``EXPOSURE_*_API_KEY``), tokens and keyring
    settings never reach it, whatever they are called.
    """
    return {
        k: v
        for k, v in environ.items()
        if (k in _INHERITED or k.startswith("LC_")) and not _SECRET.search(k)
    }


# Programs, locale, the user's desktop session (notify-send needs D-Bus and a display).
_INHERITED = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "TERM",
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "XDG_RUNTIME_DIR",
        "DBUS_SESSION_BUS_ADDRESS",
    }
)
_SECRET = re.compile(r"KEY|TOKEN|SECRET|PASS|KEYRING|CREDENTIAL|AUTH", re.I)


def _feed(pipe: IO[bytes], payload: bytes) -> None:
    with contextlib.suppress(OSError):  # the command need not read its stdin
        pipe.write(payload)
    with contextlib.suppress(OSError):
        pipe.close()


def _read_capped(pipe: IO[bytes], into: bytearray) -> None:
    """Keep the first STDERR_CAP bytes of the command's stderr, then stop reading.

    Closing our end makes a command that keeps writing get EPIPE/SIGPIPE,
    instead of costing memory and time here.
    """
    try:
        while len(into) < STDERR_CAP:
            chunk = pipe.read1(min(65536, STDERR_CAP - len(into)))  # type: ignore[attr-defined]
            if not chunk:
                break
            into += chunk
    except (OSError, ValueError):
        pass
    finally:
        with contextlib.suppress(OSError):
            pipe.close()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=5)
