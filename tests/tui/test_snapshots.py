"""Snapshot tests of every screen at 80×24, 120×35 and 200×50, with fixed data and clock.

Nothing rendered may change from run to run: the clock is fixed, the scan uses
a scripted checker with fixed addresses (no test server, so no random port),
and the export path is under a fixed home. Update after an intended change
with ``pytest tests/tui --snapshot-update`` and look at the SVGs under
tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import asyncio

import pytest
from rich.text import Text
from test_checklist_requests import seed_requests
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList
from textual.widgets.data_table import ColumnKey
from tui_data import Clock, add_profile, scripted_registry, seed

SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 35), id="120x35"),
    pytest.param((200, 50), id="200x50"),
]


def steady(pilot: Pilot) -> None:
    """No blinking cursor: a snapshot taken mid-blink would differ from run to run."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


async def settled_columns(pilot: Pilot, table: DataTable) -> None:
    """Wait until the table has measured its last rows.

    DataTable widens its columns on an idle pass; on a loaded machine the
    snapshot could otherwise catch the "What" column before it has grown to
    its longest title.
    """
    title = table.columns[ColumnKey("title")]
    longest = max(
        (measure(table.get_cell(row, "title")) for row in table.rows),
        default=0,
    )
    for _ in range(200):
        if title.content_width >= longest:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"'What' column stayed {title.content_width} wide, under {longest}")


def measure(cell: object) -> int:
    return cell.cell_len if isinstance(cell, Text) else len(str(cell))


@pytest.fixture(autouse=True)
def fixed_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/jane")  # the export screen shows a path under it


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_empty(snap_compare, make_app, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_scan_finished(snap_compare, make_app, size: tuple[int, int]) -> None:
    add_profile("jane")

    async def scan(pilot: Pilot) -> None:
        await pilot.press("s", "s", "y")  # y: the send plan of a first scan
        for _ in range(400):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if not pilot.app.screen.running:
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        await settled_columns(pilot, pilot.app.screen.query_one("#scan-findings", DataTable))
        pilot.app.screen.query_one("#checkers").focus()

    app = make_app(profile="jane", registry=scripted_registry())
    assert snap_compare(app, terminal_size=size, run_before=scan)


@pytest.mark.parametrize("size", SIZES)
def test_findings(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), press=["f"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_checklist(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), press=["c"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES[:2])
def test_checklist_countdowns_and_folded_accounts(
    snap_compare, make_app, clock: Clock, size: tuple[int, int]
) -> None:
    seed_requests(clock, accounts=6)
    assert snap_compare(make_app(profile="jane"), press=["c"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES[:2])
def test_request_modal(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed_requests(clock)

    async def draft(pilot: Pilot) -> None:
        await pilot.press("c")
        options = pilot.app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index("broker:mylife")
        await pilot.press("d")
        steady(pilot)
        await pilot.pause()

    assert snap_compare(make_app(profile="jane"), terminal_size=size, run_before=draft)


@pytest.mark.parametrize("size", SIZES)
def test_profile_editor_error(snap_compare, make_app, size: tuple[int, int]) -> None:
    async def bad_email(pilot: Pilot) -> None:
        await pilot.press("n")
        box = pilot.app.screen.query_one("#field-emails Input", Input)
        box.focus()
        box.value = "not-an-email"
        await pilot.press("enter")
        steady(pilot)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=bad_email)


@pytest.mark.parametrize("size", SIZES)
def test_export(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed(clock)

    async def export(pilot: Pilot) -> None:
        await pilot.press("r")
        steady(pilot)
        await pilot.pause()

    assert snap_compare(make_app(profile="jane"), terminal_size=size, run_before=export)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), press=["f", "f1"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_delete(snap_compare, make_app, clock: Clock, size: tuple[int, int]) -> None:
    seed(clock)
    assert snap_compare(make_app(profile="jane"), press=["delete"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_send_plan_before_a_first_scan(snap_compare, make_app, size: tuple[int, int]) -> None:
    add_profile("jane", emails=["jane@example.org"])
    app = make_app(profile="jane", registry=scripted_registry())
    assert snap_compare(app, press=["s", "s"], terminal_size=size)
