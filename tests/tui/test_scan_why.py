"""The scan screen says what was not checked and why, and never shows an unchecked scan as 0."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from textual.pilot import Pilot
from textual.widgets import Static
from tui_data import OfflineChecker, ScriptedChecker, add_profile, scripted_registry

from exposure.model import ScanSummary
from exposure.tui.screens.dashboard import DashboardScreen
from exposure.tui.screens.scan import ScanScreen
from exposure.tui.widgets.checker_progress import CheckerProgress


def text_of(widget: Static) -> str:
    return str(widget.render())


async def scan(pilot: Pilot) -> ScanScreen:
    await pilot.press("s")
    screen = pilot.app.screen
    assert isinstance(screen, ScanScreen)
    await pilot.press("s", "y")  # y: the send plan of a first scan
    await pilot.app.workers.wait_for_complete()
    for _ in range(400):
        await pilot.pause()
        if not screen.running:
            break
        await asyncio.sleep(0.05)
    await pilot.pause()
    return screen


async def test_every_unchecked_source_shows_its_reason(make_app) -> None:
    add_profile("jane")
    app = make_app(profile="jane", registry=scripted_registry())
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await scan(pilot)
        why = text_of(screen.query_one("#scan-unchecked", Static))
        assert "Not checked (3), and why:" in why
        assert "Walled  blocked: HTTP 403 (access refused); check by hand" in why
        assert "Slow  error: timed out after 20 s" in why
        assert "NoSearch  skipped: no public search; check by hand" in why
        hand = why.split("Check these by hand (3)")[1]
        assert "https://walled.example/janedoe" in hand
        assert "https://nosearch.example/opt-out" in hand
        assert "Missing" not in why and "Found" not in why  # definite answers are not listed
        status = text_of(screen.query_one("#scan-status", Static))
        assert "Coverage: checked 2 of 4 checks (50%)" in status


async def test_an_offline_scan_shows_unknown_not_zero(make_app) -> None:
    add_profile("jane")
    app = make_app(profile="jane", registry=scripted_registry(OfflineChecker))
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await scan(pilot)
        status = text_of(screen.query_one("#scan-status", Static))
        assert "not an all-clear" in status
        assert "Score: unknown: no source could be checked" in status
        assert "0.0 / 100" not in status
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        stats = text_of(app.screen.query_one("#summary-stats", Static))
        assert "unknown" in stats and "Score       0" not in stats


async def test_a_cancelled_scan_calls_finished_checkers_done(make_app) -> None:
    add_profile("jane")
    app = make_app(profile="jane", registry=scripted_registry())
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, ScanScreen)
        screen.post_message(ScanScreen.Planned({"whole": 2, "half": 4}, {}))
        await pilot.pause()
        bars = {b.checker_id: b for b in screen.query(CheckerProgress)}
        bars["whole"].done = 2
        bars["half"].done = 1
        moment = datetime(2026, 3, 9, tzinfo=UTC)
        screen.running = True
        screen.post_message(
            ScanScreen.Finished(ScanSummary("jane", 1, moment, moment, "interrupted"))
        )
        await pilot.pause()
        assert bars["whole"].note == "done"
        assert bars["half"].note == "1/4 cancelled"
        assert text_of(screen.query_one("#scan-status", Static)).startswith("Cancelled")


async def test_a_long_progress_list_says_how_many_more(make_app) -> None:
    add_profile("jane")
    app = make_app(profile="jane", registry=scripted_registry(ScriptedChecker))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, ScanScreen)
        screen.post_message(ScanScreen.Planned({f"checker{n}": 3 for n in range(12)}, {}))
        # The rows mount, then the note is measured after a refresh (an earlier note
        # may count the lines of what was shown before the rows arrived).
        for _ in range(100):
            await pilot.pause(0.02)
            if "checkers below" in text_of(screen.query_one("#progress-more", Static)):
                break
        more = text_of(screen.query_one("#progress-more", Static))
        assert more.startswith("↓ ") and "more checkers below" in more
        hidden = int(more.split()[1])
        assert 0 < hidden < 12
        box = screen.query_one("#progress")
        box.scroll_end(animate=False)
        await pilot.pause()
        await pilot.pause()
        assert text_of(screen.query_one("#progress-more", Static)) == ""
