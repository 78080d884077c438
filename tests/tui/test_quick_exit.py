"""Quick exit (Ctrl+\\): on every screen, cancels a scan, clears the terminal, ends at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets._footer import FooterKey
from tui_data import Clock, add_profile, seed

from exposure.tui import quick_exit
from exposure.tui.screens.scan import ScanScreen

SIZE = (80, 24)  # the narrowest: quick exit must still be in the footer


@pytest.fixture
def ended(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(quick_exit, "end_process", calls.append)
    return calls


def _bound(app: object) -> bool:
    bindings = app.screen.active_bindings  # type: ignore[attr-defined]
    active = bindings.get(quick_exit.KEY)
    return active is not None and active.binding.action == "quick_exit"


async def test_quick_exit_is_bound_on_every_screen(make_app, clock: Clock, ended) -> None:  # type: ignore[no-untyped-def]
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for key in ("", "n", "e", "s", "f", "c", "x", "i", "f1"):
            if key:
                await pilot.press(key)
                await pilot.pause()
            seen.append(type(app.screen).__name__)
            if not isinstance(app.screen, ModalScreen):  # a modal shows no app keys
                assert _bound(app), type(app.screen).__name__
                keys = list(app.screen.query(FooterKey))
                assert keys and keys[0].action == "quick_exit", type(app.screen).__name__
            await pilot.press(quick_exit.KEY)
            await pilot.pause()
            assert len(ended) == len(seen) and ended[-1] == 0
            await pilot.press("escape")
            await pilot.pause()
            while len(app.screen_stack) > 2:
                app.pop_screen()
                await pilot.pause()
        assert {"DashboardScreen", "ScanScreen", "FindingsScreen", "HelpScreen"} <= set(seen)


async def test_quick_exit_cancels_a_running_scan(make_app, slow_sites: Path, ended) -> None:  # type: ignore[no-untyped-def]
    add_profile("jane")
    app = make_app(slow_sites, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "y")  # y: the send plan of a first scan
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.running
        assert screen.cancel_event is not None and not screen.cancel_event.is_set()
        await pilot.press(quick_exit.KEY)
        await pilot.pause()
        assert ended == [0]
        assert screen.cancel_event.is_set()


LAUNCHER = textwrap.dedent(
    """
    import json, os, sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(60)  # every check stays in flight: the scan is running
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    rule = {"e_code": 200, "e_string": "x", "m_code": 404, "m_string": "no", "cat": "social"}
    sites = [dict(rule, name="S%d" % n, uri_check=base + "/u/{account}") for n in range(20)]
    Path(sys.argv[1]).write_text(json.dumps({"sites": sites}))
    Path(sys.argv[2]).write_text(str(os.getpid()))

    from exposure.checkers.base import Registry
    from exposure.checkers.sites import SitesChecker
    from exposure.engine.scan import ScanOptions
    from exposure.tui.app import ExposureApp

    registry = Registry(checkers={"sites": SitesChecker}, broken={})
    options = ScanOptions(concurrency=4, sites_file=Path(sys.argv[1]))
    ExposureApp("jane", registry=registry, scan_options=options).run()
    """
)


@pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)
def test_quick_exit_ends_the_real_tui_under_tmux_during_a_scan(
    exposure_home: Path, tmp_path: Path
) -> None:
    add_profile("jane")
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER)
    socket = f"exposure-test-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]
    env = dict(os.environ, EXPOSURE_HOME=str(exposure_home), TERM="xterm-256color")
    shell = (
        f"echo SECRET-BEFORE-THE-TUI; {sys.executable} {launcher} {tmp_path / 'sites.json'} "
        f"{tmp_path / 'pid'}; "
        "echo TUI-ENDED; sleep 60"
    )

    def pane(*extra: str) -> str:
        return subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "q", *extra],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    def wait_for(text: str, seconds: float) -> bool:
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            if text in pane():
                return True
            time.sleep(0.02)
        return False

    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "q", "-x", "120", "-y", "35", shell],
        env=env, check=True,
    )  # fmt: skip
    try:
        assert wait_for("Quick exit", 30), pane()  # shown in the footer
        subprocess.run([*tmux, "send-keys", "-t", "q", "s"], check=True)
        assert wait_for("Tick the sources", 10), pane()
        subprocess.run([*tmux, "send-keys", "-t", "q", "s"], check=True)
        assert wait_for("Before the first scan of jane", 10), pane()  # the send plan
        subprocess.run([*tmux, "send-keys", "-t", "q", "y"], check=True)
        assert wait_for("Scanning jane", 10), pane()
        pid = int((tmp_path / "pid").read_text())
        time.sleep(0.3)  # the scan is under way, its requests in flight
        started = time.monotonic()
        subprocess.run([*tmux, "send-keys", "-t", "q", "C-\\"], check=True)
        while time.monotonic() - started < 5 and Path(f"/proc/{pid}").exists():
            time.sleep(0.005)
        took = time.monotonic() - started
        assert took < 0.5, f"quick exit took {took:.2f} s"
        assert wait_for("TUI-ENDED", 2), pane()
        everything = pane("-S", "-", "-E", "-")  # the screen and the scrollback
        assert "SECRET-BEFORE-THE-TUI" not in everything
        assert "jane" not in everything and "exposure" not in everything
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
