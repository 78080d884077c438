"""The command palette's list of the app's own actions (Ctrl+P)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp


@dataclass(frozen=True)
class AppCommand:
    title: str
    help: str
    action: str  # an action of ExposureApp, without the "action_" prefix


APP_COMMANDS: tuple[AppCommand, ...] = (
    AppCommand("Dashboard", "Profiles, scores and what is new", "dashboard"),
    AppCommand("New profile", "Describe a person to audit (yourself, or a child)", "new_profile"),
    AppCommand(
        "Edit profile", "Change the selected profile's names, emails, phones...", "edit_profile"
    ),
    AppCommand(
        "Delete profile",
        "Delete the selected profile and all its data (scans, evidence, reports), after asking",
        "delete_profile",
    ),
    AppCommand("Scan", "Search public sources for the selected profile", "scan"),
    AppCommand(
        "What a scan sends where",
        "Each profile value a scan sends, and to which hosts (nothing is sent)",
        "send_plan",
    ),
    AppCommand("Findings", "What scans found, why, and the evidence", "findings"),
    AppCommand("Checklist", "What to remove and where, in order of urgency", "checklist"),
    AppCommand("Export", "Evidence pack and reports for the selected profile", "export"),
    AppCommand("Incident log", "Write down each incident, with files and witnesses", "incidents"),
    AppCommand("Help", "Keys and what each screen does", "help"),
)


class ExposureCommands(Provider):
    """Every screen of the app, reachable by name from the palette."""

    def _run(self, action: str) -> None:
        app: ExposureApp = self.app  # type: ignore[assignment]
        self.app.call_later(app.run_action, action)

    async def discover(self) -> Hits:
        for command in APP_COMMANDS:
            yield DiscoveryHit(command.title, partial(self._run, command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in APP_COMMANDS:
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(self._run, command.action),
                    text=command.title,
                    help=command.help,
                )
