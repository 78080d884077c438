"""Snapshot tests at 100×30 with fixed data and a fixed clock.

Update after an intended change with ``pytest tests/tui --snapshot-update`` and
look at the SVGs under tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import asyncio

from textual.pilot import Pilot
from tui_data import Clock, add_profile, seed

SIZE = (100, 30)


def test_dashboard(snap_compare, make_app, clock: Clock) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), terminal_size=SIZE)


def test_scan_finished(snap_compare, make_app, fake_web) -> None:
    add_profile("jane")

    async def scan(pilot: Pilot) -> None:
        await pilot.press("s", "s")
        await pilot.app.workers.wait_for_complete()
        for _ in range(200):
            await pilot.pause()
            if not pilot.app.screen.running:
                break
            await asyncio.sleep(0.05)
        pilot.app.screen.query_one("#checkers").focus()

    assert snap_compare(make_app(fake_web, profile="jane"), terminal_size=SIZE, run_before=scan)


def test_findings(snap_compare, make_app, clock: Clock) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), press=["f"], terminal_size=SIZE)


def test_checklist(snap_compare, make_app, clock: Clock) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), press=["c"], terminal_size=SIZE)
