"""Pilot tests: each screen's main flow, driven by keys as a person would."""

from __future__ import annotations

import asyncio
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import (
    DataTable,
    Input,
    OptionList,
    ProgressBar,
    Select,
    SelectionList,
    Static,
)
from tui_data import Clock, add_profile, finding, seed
from tui_screens import SCREENS

from exposure import paths
from exposure.engine.store import Store
from exposure.errors import UsageError
from exposure.model import FindingKind
from exposure.people.profile import ProfileStore
from exposure.tui.app import run_app
from exposure.tui.screens.checklist import ChecklistScreen
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.dashboard import DashboardScreen
from exposure.tui.screens.export import ExportScreen
from exposure.tui.screens.findings import FindingsScreen
from exposure.tui.screens.help import HelpScreen
from exposure.tui.screens.profile_editor import ProfileEditorScreen
from exposure.tui.screens.scan import ScanScreen
from exposure.tui.widgets.checker_progress import CheckerProgress
from exposure.tui.widgets.list_editor import ListEditor

SIZE = (100, 30)


def text_of(widget: Static) -> str:
    return str(widget.render())


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    box.value = text  # typing key by key costs ~60 ms a key under Pilot
    await pilot.press("enter")


async def settle(pilot: Pilot, done: Callable[[], bool] | None = None) -> None:
    """Wait for the workers, then until ``done()`` (their messages handled), at most 20 s."""
    await pilot.app.workers.wait_for_complete()
    for _ in range(400):
        await pilot.pause()
        if done is None or done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the app did not settle")


def rows(table: DataTable) -> list[list[str]]:
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


# --------------------------------------------------------------------------- profiles


async def test_add_a_profile_with_inline_validation(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        assert "No profiles yet" in text_of(app.screen.query_one("#summary-title", Static))
        await pilot.press("n")
        assert isinstance(app.screen, ProfileEditorScreen)
        await type_into(pilot, "#profile-id", "jane")
        await type_into(pilot, "#field-names Input", "Jane   Doe")
        await type_into(pilot, "#field-emails Input", "not-an-email")
        emails = app.screen.query_one("#field-emails", ListEditor)
        assert emails.values == []
        assert "invalid email" in text_of(emails.query_one(".error", Static))
        emails.query_one(Input).value = ""
        await type_into(pilot, "#field-emails Input", "Jane@Example.ORG")
        assert emails.values == ["Jane@example.org"]
        assert text_of(emails.query_one(".error", Static)) == ""
        await type_into(pilot, "#field-locations Input", "Leeds, West Yorkshire, UK")
        await type_into(pilot, "#field-phones Input", "020 7946 0000")  # GB from the location
        await type_into(pilot, "#field-usernames Input", "@janedoe")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        saved = ProfileStore(paths.current()).get("jane")
        assert saved.names == ["Jane Doe"]
        assert saved.phones == ["+442079460000"]
        assert saved.usernames == ["janedoe"]
        assert app.profile_id == "jane"
        options = app.screen.query_one("#profiles", OptionList)
        assert options.option_count == 1


async def test_editor_refuses_bad_values_and_keeps_the_form(make_app) -> None:
    add_profile("jane")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        editor = app.screen
        editor.query_one("#profile-id", Input).value = "jane"  # exists already
        editor.query_one("#birth-date", Input).value = "2999-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileEditorScreen)  # not saved
        assert "Not saved" in text_of(editor.query_one("#form-error", Static))
        editor.query_one("#profile-id", Input).value = "Bad Id"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "invalid profile id" in text_of(editor.query_one("#id-error", Static))
        editor.query_one("#profile-id", Input).value = "kid"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "in the future" in text_of(editor.query_one("#birth-error", Static))
        editor.query_one("#birth-date", Input).value = "2015-05-01"
        editor.query_one("#guardian", Select).value = "jane"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        kid = ProfileStore(paths.current()).get("kid")
        assert kid.guardian == "jane" and str(kid.birth_date) == "2015-05-01"
        prompts = [str(o.prompt) for o in app.screen.query_one("#profiles", OptionList).options]
        assert prompts[0].startswith("jane") and prompts[1].startswith("  └ kid")


async def test_edit_profile_remove_a_value_and_cancel(make_app) -> None:
    add_profile("jane", emails=["a@example.org", "b@example.org"])
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        emails = app.screen.query_one("#field-emails", ListEditor)
        await pilot.click(emails.query(".remove").first())
        await pilot.pause()
        assert emails.values == ["b@example.org"]
        await pilot.press("escape")  # a changed form asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: keep editing, the change is still there
        await pilot.pause()
        assert isinstance(app.screen, ProfileEditorScreen) and emails.values == ["b@example.org"]
        await pilot.press("escape", "y")  # yes: thrown away, nothing saved
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert ProfileStore(paths.current()).get("jane").emails == [
            "a@example.org",
            "b@example.org",
        ]
        await pilot.press("e")
        emails = app.screen.query_one("#field-emails", ListEditor)
        await pilot.click(emails.query(".remove").first())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ProfileStore(paths.current()).get("jane").emails == ["b@example.org"]


# --------------------------------------------------------------------------- scan


async def start_scan(pilot: Pilot) -> ScanScreen:
    await pilot.press("s")
    screen = pilot.app.screen
    assert isinstance(screen, ScanScreen)
    await pilot.press("s", "y")  # y: the send plan of a first scan
    await settle(pilot, lambda: not screen.running)
    return screen


async def test_scan_shows_progress_and_findings_as_they_arrive(make_app, fake_web) -> None:
    add_profile("jane")
    app = make_app(fake_web, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_scan(pilot)
        bar = screen.query_one(CheckerProgress)
        assert bar.checker_id == "sites" and bar.done == bar.total == 4
        assert screen.query_one(ProgressBar).progress == 4
        counts = text_of(bar.query_one(".checker-counts", Static))
        assert "found 1" in counts and "blocked 1" in counts and "error 1" in counts
        assert [r[1] for r in rows(screen.query_one("#scan-findings", DataTable))] == ["Found"]
        status = text_of(screen.query_one("#scan-status", Static))
        assert status.startswith("Finished.") and "Score: " in status
        why = text_of(screen.query_one("#scan-unchecked", Static))
        assert "Check these by hand (2)" in why
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        stats = text_of(app.screen.query_one("#summary-stats", Static))
        assert "1 new since your last visit" in stats
    with Store.open_current() as store:
        assert [s.state for s in store.scans("jane")] == ["finished"]


async def test_escape_cancels_a_running_scan(make_app, slow_sites: Path) -> None:
    add_profile("jane")
    app = make_app(slow_sites, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "y")  # y: the send plan of a first scan
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, ScanScreen) and screen.running
        await pilot.press("escape")
        assert isinstance(app.screen, ScanScreen)  # escape cancels first, then goes back
        await settle(pilot, lambda: not screen.running)
        assert not screen.running
        assert text_of(screen.query_one("#scan-status", Static)).startswith("Cancelled")
        assert screen.query_one(CheckerProgress).done < 30
    with Store.open_current() as store:
        assert [s.state for s in store.scans("jane")] == ["interrupted"]


async def test_a_private_field_is_never_sent(
    make_app, fake_web, httpserver, exposure_home: Path
) -> None:
    add_profile("jane")
    exposure_home.joinpath("config.toml").write_text('private_fields = ["username"]\n')
    app = make_app(fake_web, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_scan(pilot)
        # Not merely "nothing to check": the person is told the username is withheld.
        note = screen.query_one(CheckerProgress).note
        assert "nothing to look up" in note and "username, marked private in config" in note
        assert text_of(screen.query_one("#scan-status", Static)).startswith("Finished.")
    assert len(httpserver.log) == 0


async def test_scan_needs_a_checker(make_app, fake_web) -> None:
    add_profile("jane")
    app = make_app(fake_web, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        app.screen.query_one("#checkers", SelectionList).deselect_all()
        await pilot.press("s")
        await settle(pilot, lambda: not app.screen.running)
        assert len(app.screen.query(CheckerProgress)) == 0


# --------------------------------------------------------------------------- findings


async def test_filter_findings_and_read_details(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one("#findings", DataTable)
        # default: at or above the threshold (0.6), highest confidence first
        assert [r[4] for r in rows(table)] == ["PeopleFinderz", "Records4U", "GitHub"]
        screen.query_one("#filter-kind", Select).value = FindingKind.ACCOUNT.value
        await pilot.pause()
        assert [r[4] for r in rows(table)] == ["GitHub"]
        screen.query_one("#filter-kind", Select).clear()
        screen.query_one("#filter-confidence", Select).value = 0.0
        await pilot.pause()
        assert len(rows(table)) == 4
        screen.query_one("#filter-source", Select).value = "Pastebin"
        await pilot.pause()
        assert [r[4] for r in rows(table)] == ["Pastebin"]
        screen.query_one("#filter-source", Select).clear()
        await pilot.pause()
        await pilot.press("t")  # sort by the next column: source
        assert [r[4] for r in rows(table)] == ["GitHub", "Pastebin", "PeopleFinderz", "Records4U"]
        table.move_cursor(row=0)
        await pilot.pause()
        detail = text_of(screen.query_one("#finding-detail Static", Static))
        assert "sha256" in detail and "Captured" in detail and "2026-03-01 09:00 UTC" in detail
        assert "an account under your username" in detail
        screen.query_one("#filter-show", Select).value = "new"
        await pilot.pause()
        assert len(rows(table)) == 4  # never visited: everything is new
    # The visit is remembered, 0600.
    visits = paths.current().data_dir / "tui-visits.json"
    assert json.loads(visits.read_text()) == {"jane": "2026-03-09T12:00:00Z"}
    assert stat.S_IMODE(visits.stat().st_mode) == 0o600


async def test_open_link_only_for_web_links(make_app, clock: Clock, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    seed(
        clock,
        extra=[finding("Evil", FindingKind.PROFILE, 0.99, "script", url="javascript:alert(1)")],
    )
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        table = app.screen.query_one("#findings", DataTable)
        assert rows(table)[0][4] == "Evil"
        await pilot.press("o")
        assert opened == []
        await pilot.press("down", "o")
        assert opened == ["https://peoplefinderz.example/r/1"]


async def test_not_me_is_remembered_across_rescans(make_app, fake_web, capsys) -> None:
    add_profile("jane")
    app = make_app(fake_web, profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await start_scan(pilot)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        table = screen.query_one("#findings", DataTable)
        assert [r[4] for r in rows(table)] == ["Found"]
        await pilot.press("x")
        assert rows(table) == []
        with Store.open_current() as store:
            assert list(store.verdicts("jane").values()) == ["not_me"]
        screen.query_one("#filter-show", Select).value = "not_me"
        await pilot.pause()
        assert [r[7] for r in rows(table)] == ["✗ not me"]
        await pilot.press("escape")
        # Rescan: the same account is found again but not reported.
        await pilot.press("escape")
        screen = await start_scan(pilot)
        assert rows(screen.query_one("#scan-findings", DataTable)) == []
        await pilot.press("f")
        assert rows(app.screen.query_one("#findings", DataTable)) == []
    from exposure.cli import main

    capsys.readouterr()
    assert main(["findings", "--profile", "jane", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


async def test_this_is_me_is_shown_as_confirmed(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.press("m")
        table = app.screen.query_one("#findings", DataTable)
        assert rows(table)[0][7] == "✓ me"
        assert "confirmed" in text_of(app.screen.query_one("#finding-detail Static", Static))
        await pilot.press("u")
        assert rows(table)[0][7] == ""


async def test_scraped_markup_is_shown_literally(make_app, clock: Clock) -> None:
    hostile_title = "[bold red]pwned[/] [link=javascript:alert(1)]x[/link]"
    hostile_source = "[b]src[/b]"
    seed(
        clock,
        extra=[
            finding(
                hostile_source,
                FindingKind.PROFILE,
                0.99,
                hostile_title + "\x1b[2J\x07",
                reasons=["[b]why[/b]"],
                matched={"name": "[i]Jane[/i]"},
            )
        ],
    )
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        table = app.screen.query_one("#findings", DataTable)
        first = table.get_row_at(0)
        assert first[4].plain == hostile_source and first[5].plain == hostile_title
        assert not first[4].spans and not first[5].spans  # no style, no link
        detail = app.screen.query_one("#finding-detail Static", Static)
        shown = text_of(detail)
        for literal_text in (hostile_title, hostile_source, "[b]why[/b]", "[i]Jane[/i]"):
            assert literal_text in shown
        assert "\x1b" not in shown and "\x07" not in shown
        source_filter = app.screen.query_one("#filter-source", Select)
        prompts = [prompt for prompt, _ in source_filter._options]
        assert any(getattr(p, "plain", None) == hostile_source for p in prompts)
        rendered = detail.render()
        assert not any(
            "link" in str(span.style) or "red" in str(span.style)
            for span in getattr(rendered, "spans", [])
        )


# --------------------------------------------------------------------------- checklist, export


async def test_toggle_a_checklist_item(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, ChecklistScreen)
        assert screen.items, "the seeded findings give checklist items"
        bar = screen.query_one("#checklist-progress", ProgressBar)
        before = bar.progress
        item = screen.current()
        assert item is not None and item.status == "open"
        await pilot.press("space")
        with Store.open_current() as store:
            assert store.checklist_state("jane")[item.id][0] == "done"
        assert bar.progress == before + 1
        assert screen.current().id == item.id and screen.current().status == "done"
        assert "(done)" in str(screen.query_one(OptionList).get_option(item.id).prompt)
        await pilot.press("space")
        with Store.open_current() as store:
            assert store.checklist_state("jane")[item.id][0] == "open"


async def test_export_pack_and_report(make_app, clock: Clock, tmp_path: Path) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ExportScreen)

        def result() -> str:
            return text_of(screen.query_one("#export-result", Static))

        screen.query_one("#export-path", Input).value = str(tmp_path / "pack.zip")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "wrote" in result())
        assert "wrote" in text_of(screen.query_one("#export-result", Static))
        pack = tmp_path / "pack.zip"
        assert pack.is_file() and stat.S_IMODE(pack.stat().st_mode) == 0o600
        screen.query_one("#export-format", Select).value = "html"
        await pilot.pause()
        path = screen.query_one("#export-path", Input).value
        assert path == str(tmp_path / "pack.html")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "pack.html" in result())
        assert "Jane" in (tmp_path / "pack.html").read_text()
        screen.query_one("#export-path", Input).value = str(tmp_path / "nowhere" / "x.html")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "Not exported" in result())
        assert "Not exported" in text_of(screen.query_one("#export-result", Static))


async def test_export_names_missing_captures_and_asks_before_leaving_them_out(
    make_app, clock: Clock, tmp_path: Path
) -> None:
    """Issue 14 item 12 in the TUI: no silent pack, no "--allow-missing" to type."""
    seed(clock)
    for capture in paths.current().evidence_dir.rglob("*"):
        if capture.is_file():
            capture.unlink()
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        pack = tmp_path / "pack.zip"
        screen.query_one("#export-path", Input).value = str(pack)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = text_of(app.screen.query_one("#confirm-question", Static))
        assert "missing from the evidence folder" in question and "capture " in question
        assert "--allow-missing" not in question
        assert not pack.exists()  # nothing written before the answer
        await pilot.press("y")
        await settle(pilot, lambda: "wrote" in text_of(screen.query_one("#export-result", Static)))
    with zipfile.ZipFile(pack) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["missing"] and all(m["why"] for m in manifest["missing"])


# --------------------------------------------------------------------------- app-wide


async def test_help_and_command_palette(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app.screen.query_one("#help-keys", Static))
        for words in ("Scan", "Findings", "Checklist", "New", "Delete", "Command palette"):
            assert words in keys
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Checklist")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ChecklistScreen)


def test_every_binding_has_an_id_and_a_description() -> None:
    ids = []
    for cls in SCREENS:
        for binding in cls.BINDINGS:
            assert binding.id and binding.description, (cls.__name__, binding)
            ids.append(binding.id)
    assert len(ids) == len(set(ids))


async def test_every_screen_fits_80x24(make_app, clock: Clock) -> None:
    seed(clock)
    app = make_app(profile="jane")
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("s", "f", "c", "e"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, DashboardScreen)
            footer = app.screen.query_one("Footer")
            assert footer.region.bottom == 24  # the footer is on screen, all its rows
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)


def test_unknown_profile_is_a_usage_error(capsys) -> None:
    with pytest.raises(UsageError, match="nobody"):
        run_app("nobody")
    from exposure.cli import main

    assert main(["tui", "--profile", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err


def test_damaged_visits_file_counts_as_no_visit(exposure_home: Path) -> None:
    from exposure.tui.visits import Visits

    path = exposure_home / "tui-visits.json"
    exposure_home.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json")
    visits = Visits(path)
    assert visits.last("jane") is None
    from tui_data import NOW

    visits.record("jane", NOW)
    assert visits.last("jane") == NOW


async def test_a_broken_profile_file_is_named_and_the_others_still_listed(make_app) -> None:
    add_profile("jane")
    add_profile("sam", names=["Sam Roe"])
    store = ProfileStore(paths.current())
    # Hand-edited: a value no command would accept, and a file nested too deep.
    bad = json.loads(store.path("sam").read_text(encoding="utf-8"))
    bad["emails"] = ["not-an-email\x1b[31m"]
    store.path("sam").write_text(json.dumps(bad), encoding="utf-8")
    store.path("deep").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#profiles", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown[0].startswith("jane"), shown
        assert sorted(shown[1:]) == ["deep (unreadable)", "sam (unreadable)"], shown
        assert options.get_option_at_index(1).disabled
        _good, broken = app.load_profiles()
        assert set(broken) == {"deep", "sam"}
        assert "emails" in broken["sam"] and "\x1b" not in broken["sam"]
        assert "nested too deeply" in broken["deep"]
