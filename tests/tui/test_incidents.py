"""The incident log screen: list incidents, add one with the form, refuse bad input."""

from __future__ import annotations

import asyncio
import hashlib

from textual.widgets import DataTable, Input, Static
from tui_data import add_profile

from exposure.casefile import incidents as log
from exposure.casefile.incidents import Version, parse_when
from exposure.engine.store import Store
from exposure.tui.screens.dashboard import DashboardScreen
from exposure.tui.screens.incidents import IncidentsScreen

SIZE = (120, 40)


async def settle(pilot) -> None:
    """The add worker has finished and the screen has handled its message."""
    await pilot.app.workers.wait_for_complete()
    result = pilot.app.screen.query_one("#incident-result", Static)
    for _ in range(400):
        await pilot.pause()
        if "Recording" not in str(result.render()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the incident screen did not settle")


def _cells(table: DataTable) -> list[list[str]]:
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


def test_every_binding_has_an_id_and_a_description() -> None:
    for binding in IncidentsScreen.BINDINGS:
        assert binding.id and binding.description


async def test_list_and_add_an_incident_with_an_attachment(make_app, tmp_path) -> None:
    add_profile("jane")
    with Store.open_current() as store:
        log.add(store, "jane", Version(1, parse_when("2026-02-01 10:00Z"), "[bold red]x[/] first"))
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"png bytes")
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentsScreen)
        table = screen.query_one("#incident-table", DataTable)
        assert _cells(table)[0][3] == "[bold red]x[/] first"  # shown literally
        for name, value in (
            ("when", "2026-03-05 18:45+01:00"),
            ("what", "Stranger at the school gate asked for me by name"),
            ("where", "school gate"),
            ("witness", "Ann; Bo"),
            ("attach", str(shot)),
        ):
            screen.query_one(f"#incident-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = str(screen.query_one("#incident-result", Static).render())
        assert "Recorded incident 2 with 1 attachment(s)" in result
        assert [r[0] for r in _cells(table)] == [
            "2026-02-01 10:00 +00:00",
            "2026-03-05 18:45 +01:00",
        ]
        assert screen.query_one("#incident-what", Input).value == ""
    with Store.open_current() as store:
        second = log.get(store, "jane", 2)
    assert second.current.witnesses == ("Ann", "Bo")
    assert second.attachments[0].sha256 == hashlib.sha256(b"png bytes").hexdigest()


async def test_bad_input_is_one_line_and_nothing_recorded(make_app, tmp_path) -> None:
    add_profile("jane")
    link = tmp_path / "link.png"
    link.symlink_to(tmp_path / "elsewhere.png")
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        result = screen.query_one("#incident-result", Static)
        screen.query_one("#incident-when", Input).value = "last tuesday"
        screen.query_one("#incident-what", Input).value = "something"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not recorded" in str(result.render()) and "--when" in str(result.render())
        screen.query_one("#incident-when", Input).value = "2026-03-01 10:00"
        screen.query_one("#incident-attach", Input).value = str(link)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "symbolic link" in str(result.render())
        assert screen.query_one("#incident-table", DataTable).row_count == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    with Store.open_current() as store:
        assert log.incidents(store, "jane") == []
