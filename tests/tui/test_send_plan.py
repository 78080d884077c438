"""Before a profile's first scan the TUI shows what will be sent where (issue 13 item 8)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Static
from tui_data import add_profile

from exposure import paths
from exposure.engine.store import Store
from exposure.tui.screens.scan import ScanScreen
from exposure.tui.screens.send_plan import SendPlanScreen

SIZE = (100, 30)


def plan_text(screen: SendPlanScreen) -> str:
    return "\n".join(str(s.render()) for s in screen.query(Static))


async def finish(pilot, screen: ScanScreen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not screen.running:
            return
        await asyncio.sleep(0.05)


async def test_first_scan_shows_the_plan_and_waits_for_a_yes(
    make_app, fake_web: Path, httpserver
) -> None:
    add_profile("jane")
    app = make_app(fake_web, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        scan = app.screen
        assert isinstance(scan, ScanScreen)
        await pilot.press("s")
        await pilot.pause()
        plan = app.screen
        assert isinstance(plan, SendPlanScreen)
        text = plan_text(plan)
        assert "Before the first scan of jane" in text
        assert f"{httpserver.host}  <-  username=janedoe" in text
        await pilot.press("escape")  # not now: nothing sent, nothing recorded
        await pilot.pause()
        assert app.screen is scan and not scan.running
        assert len(httpserver.log) == 0
        await pilot.press("s", "y")
        await finish(pilot, scan)
        assert httpserver.log
        await pilot.press("s")  # a second scan: no plan in the way
        await pilot.pause()
        assert app.screen is scan
        await finish(pilot, scan)
    with Store(paths.current().database, paths.current().evidence_dir) as store:
        assert [s.state for s in store.scans("jane")] == ["finished", "finished"]


async def test_the_command_palette_shows_the_plan_again(make_app, fake_web: Path) -> None:
    add_profile("jane", usernames=["[red]jd[/red]"])
    app = make_app(fake_web, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sends where")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        plan = app.screen
        assert isinstance(plan, SendPlanScreen) and not plan.before_scan
        text = plan_text(plan)
        assert "What a scan of jane sends" in text
        assert "username=[red]jd[/red]" in text  # shown literally, not as markup
        await pilot.press("y")  # no scan from here
        await pilot.pause()
        assert app.screen is plan
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SendPlanScreen)
