"""Deleting a profile from the TUI does what `profile remove --purge` does (issue 13 item 13)."""

from __future__ import annotations

from pathlib import Path

from lockkit import run
from textual.widgets import Static
from tui_data import Clock, seed

from exposure import paths
from exposure.engine.store import Store
from exposure.people.profile import ProfileStore
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.dashboard import DashboardScreen

SIZE = (100, 30)


def _report_mentioning_jane(home: Path) -> Path:
    report = home / "report-jane.html"
    report.write_text("<p>Jane Doe, Leeds</p>")
    return report


async def test_delete_purges_scans_findings_captures_reports_and_cron(
    make_app, clock: Clock, tmp_path: Path
) -> None:
    seed(clock)
    where = paths.current()
    tab = tmp_path / "crontab"
    tab.write_text("5 4 * * * /usr/bin/backup # not ours\n")
    for who in ("jane", "sam"):
        code, _, err = run(
            "schedule", "install", "--profile", who, "--every", "weekly", "--tabfile", str(tab)
        )
        assert code == 0, err
    report = _report_mentioning_jane(where.data_dir)
    with Store(where.database, where.evidence_dir) as store:
        assert store.scans("jane") and store.findings("jane") and store.captures("jane")

    app = make_app(profile="jane", crontab_file=tab)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(Static).render())
        assert "scans, findings, evidence captures, reports and cron entry" in question
        await pilot.press("escape")  # no: everything kept
        await pilot.pause()
        assert "jane" in ProfileStore(where).ids()
        assert "exposure:jane" in tab.read_text()
        await pilot.press("delete", "y")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert ProfileStore(where).ids() == ["sam"]
        assert app.profile_id == "sam"
        # the app's own store works after the purge (it was reopened)
        assert app.store.scans("jane") == []
    with Store(where.database, where.evidence_dir) as store:
        assert store.scans("jane") == [] and store.findings("jane") == []
        assert store.captures("jane") == []
    assert not report.exists()
    assert "exposure:jane" not in tab.read_text()
    assert "exposure:sam" in tab.read_text() and "not ours" in tab.read_text()
