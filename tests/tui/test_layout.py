"""At 80x24 and 200x50 every screen keeps its key hints and columns visible (issue 13 item 11)."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey
from tui_data import Clock, add_profile, scripted_registry, seed

from exposure.tui.screens.dashboard import DashboardScreen
from exposure.tui.widgets.footer import rows_of

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 50), id="200x50")]
SCREEN_KEYS = ("s", "f", "c", "e", "r")  # scan, findings, checklist, editor, export


def assert_footer_visible(app, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    width, height = size
    keys = list(app.screen.query(FooterKey))
    assert keys, type(app.screen).__name__
    for key in keys:
        region = key.region
        assert region.width > 0 and region.right <= width and region.bottom <= height, (
            type(app.screen).__name__,
            key.description,
            region,
        )
    actions = [k.action for k in keys]
    assert "quick_exit" in actions and "help" in actions, actions
    assert actions[:2] == ["quick_exit", "help"]  # first: the keys that must never fall off


@pytest.mark.parametrize("size", SIZES)
async def test_every_footer_key_is_on_screen(make_app, clock: Clock, size) -> None:  # type: ignore[no-untyped-def]
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert_footer_visible(app, size)
        for key in SCREEN_KEYS:
            await pilot.press(key)
            await pilot.pause(0.2)
            assert not isinstance(app.screen, DashboardScreen)
            assert_footer_visible(app, size)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)


def test_footer_rows_wrap_only_when_needed() -> None:
    keys = [FooterKey("a", "a", "Alpha", "x"), FooterKey("b", "b", "Beta", "y")]
    assert [len(r) for r in rows_of(keys, 80)] == [2]
    assert [len(r) for r in rows_of(keys, 10)] == [1, 1]


@pytest.mark.parametrize("size", SIZES)
async def test_scan_table_columns_fit_the_width(make_app, size) -> None:  # type: ignore[no-untyped-def]
    add_profile("jane")
    app = make_app(profile="jane", registry=scripted_registry())
    async with app.run_test(size=size) as pilot:
        await pilot.press("s", "s", "y")
        screen = app.screen
        for _ in range(400):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not screen.running:
                break
            await asyncio.sleep(0.05)
        await pilot.pause(0.2)
        table = screen.query_one("#scan-findings", DataTable)
        needed = sum(c.get_render_width(table) for c in table.columns.values())
        assert needed <= table.region.width
        title = next(c for c in table.columns.values() if c.key.value == "title")
        assert title.get_render_width(table) >= 14  # 'What' is more than a few letters


@pytest.mark.parametrize("size", SIZES)
async def test_the_dashboard_score_line_does_not_wrap(make_app, clock: Clock, size) -> None:  # type: ignore[no-untyped-def]
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        stats = app.screen.query_one("#summary-stats", Static)
        lines = [strip.text.rstrip() for strip in stats.render_lines(stats.region.reset_offset)]
        score = [line for line in lines if line.startswith("Score")]
        assert score and score[0].endswith("higher = more exposed)"), lines
        change = lines[lines.index(score[0]) + 1]
        assert change.strip().endswith("since the scan before"), lines
