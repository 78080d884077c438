"""Helpers for tests of the lock and of forgetting: a demo-scanned home, and a byte search."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from exposure.cli import main

# Robin's identifiers as the demo's profiles.toml gives them, in the forms a file may hold.
ROBIN = (
    b"Robin Example",
    b"Robin J Example",
    b"robin.example@example.com",
    b"robin@robin-example.example",
    b"+1 503 555 0142",
    b"5035550142",
    b"555 0142",
    b"555-0142",
    b"12 Sample Street",
)


@dataclass
class DemoHome:
    home: Path
    scan_args: list[str]


def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    """``exposure ARGV`` in this process: (status, stdout, stderr)."""

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def demo_home(home: Path) -> Iterator[DemoHome]:
    """The demo's people in ``home`` (the current EXPOSURE_HOME), scanned, with a report."""
    from exposure.demo.flow import DEMO_CHECKERS, DEMO_HIBP_KEY, _install_demo
    from exposure.demo.server import DemoWeb

    os.environ["EXPOSURE_HIBP_API_KEY"] = DEMO_HIBP_KEY
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    try:
        with DemoWeb() as web:
            sites, brokers = _install_demo(home, web.base)
            args = ["--sites", str(sites), "--brokers", str(brokers)]
            args += ["--only", ",".join(DEMO_CHECKERS)]
            for who in ("robin", "sam"):
                code, _, err = run("scan", "--profile", who, "--quiet", *args)
                assert code in (0, 3), err
            code, _, err = run(
                "report", "--profile", "robin", "--format", "html",
                "--output", str(home / "report-robin.html"),
            )  # fmt: skip
            assert code == 0, err
            yield DemoHome(home, args)
    finally:
        os.environ.pop("EXPOSURE_HIBP_API_KEY", None)
        os.environ.pop("PYTHON_KEYRING_BACKEND", None)


def files_holding(root: Path, needles: tuple[bytes, ...]) -> dict[str, list[str]]:
    """Every file under ``root`` (all bytes, any name) that holds one of ``needles``."""
    hits: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        body = path.read_bytes()
        found = [n.decode() for n in needles if n in body or n.lower() in body.lower()]
        if found:
            hits[str(path.relative_to(root))] = found
    return hits
