"""Verdicts on the findings screen: undo, a question before rejecting a record, many at once."""

from __future__ import annotations

from textual.widgets import DataTable
from tui_data import Clock, seed

from exposure.engine.store import Store
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.findings import FindingsScreen, flexible_widths

SIZE = (100, 30)


def sources(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[4]) for i in range(table.row_count)]


def stored() -> dict[str, str]:
    with Store.open_current() as store:
        return store.verdicts("jane")


async def test_not_me_on_an_account_is_undone_with_z(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one("#findings", DataTable)
        order = sources(table)
        at = order.index("GitHub")
        table.move_cursor(row=at)
        await pilot.press("x")
        await pilot.pause()
        assert "GitHub" not in sources(table)
        assert list(stored().values()) == ["not_me"]
        assert table.cursor_row == min(at, table.row_count - 1)  # the cursor stayed put
        assert any("z undoes" in n.message for n in app._notifications)
        await pilot.press("z")
        await pilot.pause()
        assert sources(table) == order and stored() == {}
        assert sources(table)[table.cursor_row] == "GitHub"


async def test_not_me_on_a_record_asks_first(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        table = app.screen.query_one("#findings", DataTable)
        table.move_cursor(row=sources(table).index("PeopleFinderz"))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await pilot.pause()
        assert stored() == {} and "PeopleFinderz" in sources(table)
        await pilot.press("x", "y")
        await pilot.pause()
        assert "PeopleFinderz" not in sources(table) and list(stored().values()) == ["not_me"]


async def test_select_many_and_give_one_verdict(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        screen = app.screen
        table = screen.query_one("#findings", DataTable)
        table.move_cursor(row=0)
        await pilot.press("v", "v")  # the first two rows
        await pilot.pause()
        picked = sources(table)[:2]
        assert [str(table.get_row_at(i)[0]) for i in range(2)] == ["▌", "▌"]
        assert "2 selected" in str(screen.query_one("#findings-count").render())
        await pilot.press("m")
        await pilot.pause()
        with Store.open_current() as store:
            ids = {f.id: f.source for f in store.findings("jane", include_rejected=True)}
        verdicts = stored()
        assert sorted(ids[i] for i, v in verdicts.items() if v == "me") == sorted(picked)
        assert screen.picked == set()  # the selection is used up
        await pilot.press("z")
        await pilot.pause()
        assert stored() == {}


def test_the_title_column_takes_the_width_left() -> None:
    wide, middle, narrow = (flexible_widths(w)["title"] for w in (200, 120, 80))
    assert wide > middle > narrow >= 12


async def test_every_column_fits_at_80_columns(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        table = app.screen.query_one("#findings", DataTable)
        needed = sum(c.get_render_width(table) for c in table.columns.values())
        assert needed <= table.region.width
