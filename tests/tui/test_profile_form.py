"""The profile editor shows each error beside its field, focuses it, and asks before discarding."""

from __future__ import annotations

from textual.widgets import Input, Static
from tui_data import add_profile

from exposure import paths
from exposure.people.profile import ProfileStore
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.dashboard import DashboardScreen
from exposure.tui.screens.profile_editor import ProfileEditorScreen
from exposure.tui.widgets.list_editor import ListEditor

SIZE = (100, 30)


def shown(widget: Static) -> bool:
    """On screen for real: displayed, with a height (an inline style can hide it)."""
    return bool(widget.display) and widget.region.height > 0


async def test_a_field_error_is_visible_beside_the_field(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        emails = app.screen.query_one("#field-emails", ListEditor)
        box = emails.query_one(Input)
        box.focus()
        box.value = "not-an-email"
        await pilot.press("enter")
        await pilot.pause()
        error = emails.query_one(".error", Static)
        assert "invalid email" in str(error.render())
        assert shown(error)
        assert error.region.y > box.region.y  # just under the box it is about
        box.value = "jane@example.org"
        await pilot.press("enter")
        await pilot.pause()
        assert not shown(error)


async def test_a_bad_birth_date_shows_on_enter(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        birth = app.screen.query_one("#birth-date", Input)
        birth.focus()
        birth.value = "31/02/2001"
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#birth-error", Static)
        assert shown(error) and str(error.render())


async def test_failed_save_focuses_the_bad_field_and_notifies(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        editor = app.screen
        editor.query_one("#profile-id", Input).value = "jane"
        editor.query_one("#field-names Input", Input).focus()
        editor.query_one("#birth-date", Input).value = "2999-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileEditorScreen)
        assert app.focused is editor.query_one("#birth-date", Input)
        await pilot.pause()
        assert shown(editor.query_one("#birth-error", Static))
        notes = [n for n in app._notifications if n.title == "Profile not saved"]
        assert notes and "future" in notes[-1].message


async def test_a_profile_without_a_name_is_not_saved(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        editor = app.screen
        names = editor.query_one("#field-names Input", Input)
        names.focus()
        names.value = "Jane Doe"
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileEditorScreen)
        assert app.focused is editor.query_one("#profile-id", Input)
        error = editor.query_one("#id-error", Static)
        assert shown(error) and "give the profile a name" in str(error.render())
        assert ProfileStore(paths.current()).ids() == []


async def test_escape_on_an_unchanged_form_just_leaves(make_app) -> None:
    add_profile("jane")
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_escape_asks_when_a_value_was_typed_but_not_added(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        app.screen.query_one("#field-emails Input", Input).value = "jane@example.org"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_delete_a_profile_after_a_confirm(make_app) -> None:
    add_profile("jane")
    add_profile("sam", names=["Sam Doe"])
    app = make_app(profile="sam")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete the profile sam (Sam Doe)?" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")  # no: kept
        await pilot.pause()
        assert ProfileStore(paths.current()).ids() == ["jane", "sam"]
        await pilot.press("delete", "y")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert ProfileStore(paths.current()).ids() == ["jane"]
        assert app.profile_id == "jane"  # the list moved on to the one left
