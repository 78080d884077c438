"""The checklist's "check by hand" items in the TUI: b offers a browser window or a saved page.

The window is not opened here (no display): the import way is driven end to
end, and the window way in HEADLESS mode with a script solving a loopback
challenge in place of the person.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from browserweb import BrowserWeb, fixture
from textual.widgets import Button, Input, OptionList, Static
from tui_data import add_profile

from exposure import paths
from exposure.engine.store import Store
from exposure.model import BrokerOptOut, Check, Outcome
from exposure.net.browser import browser_missing
from exposure.tui.screens.checklist import ChecklistScreen
from exposure.tui.screens.hand_check import HandCheckScreen

SIZE = (100, 30)
BROKER = "fastpeoplesearch"  # a catalogued broker: the import reads it with its entry
ITEM = f"check:broker:{BROKER}"


def blocked_scan(url: str = "https://www.fastpeoplesearch.com/name/jane-q-doe") -> None:
    add_profile("jane", names=["Jane Q Doe"], locations=["Austin, TX"], usernames=[])
    where = paths.current()
    opt = BrokerOptOut(BROKER, "FastPeopleSearch", url="https://www.fastpeoplesearch.com/removal")
    with Store(where.database, where.evidence_dir) as store:
        scan = store.begin_scan("jane", ["brokers"])
        check = Check("brokers", BROKER, Outcome.BLOCKED, url=url, detail="captcha", opt_out=opt)
        store.record_check(scan.scan_id, check)
        store.finish_scan(scan)


async def wait_until(pilot, done) -> None:  # type: ignore[no-untyped-def]
    for _ in range(1200):
        await pilot.pause()
        if done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the screen did not get there")


async def open_hand_check(pilot) -> HandCheckScreen:  # type: ignore[no-untyped-def]
    await pilot.press("c")
    screen = pilot.app.screen
    assert isinstance(screen, ChecklistScreen)
    options = screen.query_one("#checklist-items", OptionList)
    options.highlighted = options.get_option_index(ITEM)
    await pilot.press("b")
    hand = pilot.app.screen
    assert isinstance(hand, HandCheckScreen)
    assert hand.query_one("#hand-source", Input).value == BROKER
    return hand


def result_text(hand: HandCheckScreen) -> str:
    return str(hand.query_one("#hand-result", Static).render())


async def test_import_a_saved_page_from_a_check_by_hand_item(make_app, tmp_path: Path) -> None:
    blocked_scan()
    saved = tmp_path / "results.html"
    saved.write_text(fixture("results.html"), encoding="utf-8")
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        hand = await open_hand_check(pilot)
        hand.query_one("#hand-file", Input).value = str(saved)
        hand.query_one("#hand-import", Button).press()
        await wait_until(pilot, lambda: "Recorded" in result_text(hand))
        assert "found" in result_text(hand)
        await pilot.press("escape")
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen)
        ids = {i.id for i in checklist.items or []}
        assert ITEM not in ids and f"broker:{BROKER}" in ids


async def test_a_bad_file_says_why_and_records_nothing(make_app, tmp_path: Path) -> None:
    blocked_scan()
    notes = tmp_path / "notes.html"
    notes.write_text("just my notes")
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        hand = await open_hand_check(pilot)
        hand.query_one("#hand-file", Input).value = str(notes)
        hand.query_one("#hand-import", Button).press()
        await wait_until(pilot, lambda: "Nothing recorded" in result_text(hand))
        assert "not HTML" in result_text(hand)
        await pilot.press("escape")
        assert ITEM in {i.id for i in app.screen.items or []}


@pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")
async def test_the_window_way_with_a_script_as_the_person(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = BrowserWeb()
    try:
        blocked_scan(f"{web.base}/assisted/search")
        # The challenge polls through the HTTP client: no politeness wait on loopback.
        fast = "[http]\nmin_interval = 0\nper_host_concurrency = 8\n"
        paths.current().config_file.write_text(fast)
        monkeypatch.setattr(HandCheckScreen, "HEADLESS", True)
        monkeypatch.setattr(HandCheckScreen, "WAIT", 60.0)
        monkeypatch.setattr(
            "exposure.checkers.saved.page_url", lambda *a, **k: f"{web.base}/assisted/search"
        )

        def person() -> None:
            for _ in range(600):
                if web.hits["/solved"]:
                    web.solve()
                    return
                time.sleep(0.05)

        threading.Thread(target=person, daemon=True).start()
        app = make_app(profile="jane")
        async with app.run_test(size=SIZE) as pilot:
            hand = await open_hand_check(pilot)
            hand.query_one("#hand-assist", Button).press()
            await wait_until(pilot, lambda: "Recorded" in result_text(hand))
            assert "found" in result_text(hand)
    finally:
        web.close()
