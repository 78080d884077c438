"""The exposure terminal UI: dashboard, profile editor, scan, findings, checklist, export.

The app owns what every screen shares: where things live, the config, the
profile files, one :class:`~exposure.engine.store.Store` for the UI thread (a scan's
thread worker opens its own), and the clock (injectable so tests and
snapshots are deterministic). Screens are pushed on top of the dashboard;
the actions below are what the screens' bindings and the command palette call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from exposure import paths as paths_mod
from exposure.checkers.base import Checker, Registry, load_registry
from exposure.config import Config, ConfigError, load
from exposure.engine.locking import reap_stale_scans
from exposure.engine.scan import ScanOptions
from exposure.engine.send_plan import SendPlan
from exposure.engine.store import Store
from exposure.errors import ExposureError, UsageError
from exposure.model import Profile, utcnow
from exposure.people.profile import ProfileStore
from exposure.tui.commands import ExposureCommands
from exposure.tui.quick_exit import KEY as QUICK_EXIT_KEY
from exposure.tui.quick_exit import KEY_DISPLAY as QUICK_EXIT_DISPLAY
from exposure.tui.visits import FILE_NAME, Visits


class ExposureApp(App[int]):
    """Audit yourself, or a child in your care."""

    CSS_PATH = "exposure.tcss"
    TITLE = "exposure"
    SUB_TITLE = "audit yourself, or a child in your care"
    COMMANDS = App.COMMANDS | {ExposureCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", key_display="F1"),
        Binding("question_mark", "help", "Help", id="app.help_question", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding(
            QUICK_EXIT_KEY,
            "quick_exit",
            "Quick exit",
            id="app.quick_exit",
            key_display=QUICK_EXIT_DISPLAY,
            priority=True,
        ),
        Binding("i", "incidents", "Incident log", id="app.incidents", show=False),
    ]

    def __init__(
        self,
        profile: str | None = None,
        *,
        scan_options: ScanOptions | None = None,
        sites_file: Path | None = None,
        registry: Registry | None = None,
        config: Config | None = None,
        clock: Callable[[], datetime] = utcnow,
        crontab_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.where = paths_mod.current()
        self.config = config if config is not None else load(self.where.config_file)
        options = scan_options or ScanOptions()
        if sites_file is not None:
            options = replace(options, sites_file=sites_file)
        self.scan_options = options
        self._checkers = registry
        self.clock = clock
        self.crontab_file = crontab_file  # None: the user's crontab (tests pass a file)
        self.profiles = ProfileStore(self.where)
        self.visits = Visits(self.where.data_dir / FILE_NAME)
        self.store = Store(self.where.database, self.where.evidence_dir)
        reap_stale_scans(self.store, self.where.locks_dir)
        self.profile_id: str | None = profile

    # -- shared state ------------------------------------------------------------

    @property
    def registry(self) -> Registry:
        if self._checkers is None:
            self._checkers = load_registry()
        return self._checkers

    def load_profiles(self) -> tuple[list[Profile], dict[str, str]]:
        """Every readable profile, and id -> problem for files that cannot be read."""
        good, broken = self.profiles.readable_by_id()
        return good, {pid: str(exc) for pid, exc in broken.items()}

    def current_profile(self) -> Profile | None:
        if self.profile_id is None or not self.profiles.exists(self.profile_id):
            return None
        try:
            return self.profiles.get(self.profile_id)
        except ExposureError as exc:
            self.notify(str(exc), title="Profile", severity="error", markup=False)
            return None

    def _need_profile(self) -> Profile | None:
        profile = self.current_profile()
        if profile is None:
            self.notify("Add or choose a profile first (n: new profile).", title="No profile")
        return profile

    def on_mount(self) -> None:
        from exposure.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())

    def on_unmount(self) -> None:
        self.store.close()

    # -- actions (bindings and the command palette) --------------------------------

    def _top_is(self, name: str) -> bool:
        return type(self.screen).__name__ == name

    def _open_for_profile(self, screen: Callable[[Profile], Screen[Any]]) -> None:
        """Open ``screen`` on the current profile (none: say so), unless it is open on top."""
        profile = self._need_profile()
        if profile is not None and not self._top_is(screen.__name__):
            self.push_screen(screen(profile))

    def action_dashboard(self) -> None:
        from exposure.tui.screens.dashboard import DashboardScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, DashboardScreen):
            self.pop_screen()

    def action_new_profile(self) -> None:
        from exposure.tui.screens.profile_editor import ProfileEditorScreen

        self.push_screen(ProfileEditorScreen(None), self._profile_saved)

    def action_edit_profile(self) -> None:
        from exposure.tui.screens.profile_editor import ProfileEditorScreen

        profile = self._need_profile()
        if profile is not None:
            self.push_screen(ProfileEditorScreen(profile), self._profile_saved)

    def action_delete_profile(self) -> None:
        from exposure.tui.screens.confirm import ConfirmScreen

        profile = self._need_profile()
        if profile is None:
            return
        wards = self.profiles.wards(profile.id)
        question = f"Delete the profile {profile.id}"
        if profile.primary_name:
            question += f" ({profile.primary_name})"
        question += (
            "? Everything about it goes too: its scans, findings, evidence captures, "
            "reports and cron entry. This cannot be undone."
        )
        if wards:
            question += f" It is the guardian of {', '.join(wards)}; they stay, without it."

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete_profile(profile.id)

        self.push_screen(ConfirmScreen(question, yes="Delete", no="Keep it"), answered)

    def _delete_profile(self, profile_id: str) -> None:
        """What ``exposure profile remove --purge`` does (exposure.engine.forget)."""
        from exposure.engine.forget import forget_profile

        self.store.close()  # forget compacts the database: no other connection of ours
        try:
            report = forget_profile(self.where, profile_id, tabfile=self.crontab_file)
        except (ExposureError, OSError) as exc:
            self.notify(f"Not deleted: {exc}", title="Profile", severity="error", markup=False)
            return
        finally:
            self.store = Store(self.where.database, self.where.evidence_dir)
        if self.profile_id == profile_id:
            self.profile_id = None
        done = (
            f"Deleted profile {profile_id}: {report.rows} database rows, "
            f"{report.evidence_files} evidence files, {len(report.other_files)} other files, "
            f"{report.cron_entries} cron entries."
        )
        self.notify(done, title="Profile", markup=False)
        for note in report.notes:
            self.notify(note, title="Profile", severity="warning", markup=False)
        refresh = getattr(self.screen, "refresh_profiles", None)
        if callable(refresh):
            refresh()

    def _profile_saved(self, profile_id: str | None) -> None:
        if profile_id:
            self.profile_id = profile_id

    def action_scan(self) -> None:
        from exposure.tui.screens.scan import ScanScreen

        profile = self._need_profile()
        if profile is not None and not self._top_is("ScanScreen"):
            self.push_screen(ScanScreen(profile))

    def send_plan(self, profile: Profile, checkers: list[Checker]) -> SendPlan | None:
        """What a scan with ``checkers`` would send where (None: could not plan; said)."""
        from exposure.engine.send_plan import plan_sends

        try:
            return plan_sends(profile, checkers, self.config, self.scan_options)
        except ExposureError as exc:
            self.notify(str(exc), title="Send plan", severity="error", markup=False)
            return None

    def action_send_plan(self) -> None:
        """The send plan again: the scan screen's ticked checkers, else those ticked first."""
        from exposure.tui.screens.scan import ScanScreen, default_checkers
        from exposure.tui.screens.send_plan import SendPlanScreen

        profile = self._need_profile()
        if profile is None:
            return
        screen = self.screen
        if isinstance(screen, ScanScreen):
            checkers = screen.chosen_checkers()
        else:
            chosen = default_checkers(self.registry, self.config.disabled)
            checkers = [self.registry.checkers[cid]() for cid in chosen]
        plan = self.send_plan(profile, checkers)
        if plan is not None:
            self.push_screen(SendPlanScreen(plan, before_scan=False))

    def action_findings(self) -> None:
        from exposure.tui.screens.findings import FindingsScreen

        self._open_for_profile(FindingsScreen)

    def action_checklist(self) -> None:
        from exposure.tui.screens.checklist import ChecklistScreen

        self._open_for_profile(ChecklistScreen)

    def action_export(self) -> None:
        from exposure.tui.screens.export import ExportScreen

        self._open_for_profile(ExportScreen)

    def action_incidents(self) -> None:
        from exposure.tui.screens.incidents import IncidentsScreen

        self._open_for_profile(IncidentsScreen)

    def action_quick_exit(self) -> None:
        """Clear the terminal (scrollback too) and end at once, cancelling any scan."""
        from exposure.tui.quick_exit import quick_exit

        quick_exit(self)

    def action_help(self) -> None:
        from exposure.tui.screens.help import HelpScreen

        if not self._top_is("HelpScreen"):
            self.push_screen(HelpScreen(self.screen))


def _unlocked(home: Path) -> bool:
    """A locked home without a key at hand: the passphrase screen first (False: left)."""
    from exposure.engine import vault

    if not vault.needs_passphrase(home):
        return True
    from exposure.tui.unlock import UnlockApp

    return bool(UnlockApp(home).run())


def run_app(profile: str | None = None) -> int:
    """Open the app (``exposure`` on a terminal, or ``exposure tui``); returns the exit status."""
    where = paths_mod.current()
    try:
        config = load(where.config_file)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if not _unlocked(where.data_dir):
        return 0  # the person left the passphrase screen: nothing was opened
    if profile is not None:
        ProfileStore(where).get(profile)  # an unknown profile is a usage error, named
    app = ExposureApp(profile, config=config)
    result = app.run()
    return int(result or app.return_code or 0)
