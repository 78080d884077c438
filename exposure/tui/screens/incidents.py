"""The incident log: every incident in the order it happened, and a form to add one.

The same rules as ``exposure incident add`` (exposure/casefile/incidents.py):
the time keeps its UTC offset, attachments are copied into the evidence store
by SHA-256, a bad value or a refused attachment is one line under the form
and nothing is recorded. Edits are made with ``exposure incident edit``,
which keeps every earlier version; this screen shows an edited incident as
edited, with its versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Input, Label, Static

from exposure.casefile import incidents as log
from exposure.casefile.incidents import Incident, IncidentError, Version, format_when
from exposure.engine.store import Store, StoreError
from exposure.errors import UsageError
from exposure.model import Profile, iso
from exposure.textsafe import clean
from exposure.tui.safe import literal
from exposure.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("when", "When (YYYY-MM-DD HH:MM; +01:00 optional)", "2026-11-20 14:30"),
    ("what", "What happened", "He posted my address under the photo"),
    ("where", "Where (a URL or a place)", "https://social.example/post/123"),
    ("who", "Who did it, if known", ""),
    ("witness", "Who saw it (separate names with ;)", ""),
    ("attach", "Attach files (paths separated by ;)", "~/Pictures/screenshot.png"),
)


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class IncidentsScreen(Screen[None]):
    """Write down each incident as it happens: dated, with who saw it and the files."""

    BINDINGS = [
        Binding("ctrl+s", "add", "Save", id="incidents.add", priority=True),
        Binding("escape", "back", "Back", id="incidents.back"),
    ]

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.shown: list[Incident] = []

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="incidents"):
            with Vertical(id="incidents-pane"):
                yield Label(f"Incidents of {self.profile.id}", classes="pane-title")
                yield DataTable(id="incident-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="incident-detail", markup=False)
            with VerticalScroll(id="incident-form"):
                yield Label("Add an incident", classes="pane-title")
                for name, label, placeholder in FIELDS:
                    yield Label(label, classes="field-label")
                    yield Input(placeholder=placeholder, id=f"incident-{name}")
                yield Button("Add incident", variant="primary", id="incident-add")
                yield Static("", id="incident-result", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#incident-table", DataTable)
        table.add_columns("When", "Edited", "Files", "What")
        now = self.exposure.clock().astimezone()
        self.query_one("#incident-when", Input).value = now.strftime("%Y-%m-%d %H:%M")
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.query_one("#incident-table", DataTable)
        table.clear()
        try:
            self.shown = log.incidents(self.exposure.store, self.profile.id)
        except StoreError as exc:
            self._result(str(exc))
            self.shown = []
        for incident in self.shown:
            v = incident.current
            table.add_row(
                literal(format_when(v.happened_at, utc=False)),
                literal(f"edited (v{v.number})" if incident.edited else ""),
                literal(str(len(incident.attachments))),
                literal(v.what, limit=60),
                key=str(incident.id),
            )
        if not self.shown:
            self.query_one("#incident-detail", Static).update(
                literal("No incidents yet. Write down what happened, when, and who saw it.")
            )

    def _result(self, text: str) -> None:
        self.query_one("#incident-result", Static).update(literal(text))

    def _value(self, name: str) -> str:
        return self.query_one(f"#incident-{name}", Input).value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        incident = next((i for i in self.shown if str(i.id) == key), None)
        if incident is not None:
            text = Text(clean(describe(incident), keep_newlines=True))
            self.query_one("#incident-detail", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_add()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "incident-add":
            self.action_add()

    @dataclass
    class Recorded(Message):
        """The incident was recorded; ``line`` says which, with how many files."""

        line: str

    @dataclass
    class Refused(Message):
        reason: str

    def action_add(self) -> None:
        try:
            when = log.parse_when(self._value("when"), now=self.exposure.clock())
            version = log.checked(
                Version(
                    number=1,
                    happened_at=when,
                    what=self._value("what"),
                    places=(self._value("where"),) if self._value("where").strip() else (),
                    who=self._value("who"),
                    witnesses=tuple(split(self._value("witness"))),
                )
            )
        except IncidentError as exc:
            self._result(f"Not recorded: {exc}")
            return
        files = [Path(p).expanduser() for p in split(self._value("attach"))]
        self._result("Recording…")
        self.add_worker(version, files)

    @work(thread=True, exclusive=True, exit_on_error=False, group="incident")
    def add_worker(self, version: Version, files: list[Path]) -> None:
        """Attachments are read, hashed and copied off the UI thread (up to 50 MiB each)."""
        app = self.exposure
        try:
            with Store(app.where.database, app.where.evidence_dir) as store:
                incident = log.add(store, self.profile.id, version, files)
        except (UsageError, StoreError, OSError) as exc:
            self.post_message(self.Refused(str(exc)))
            return
        self.post_message(
            self.Recorded(
                f"Recorded incident {incident.id} with {len(incident.attachments)} attachment(s)."
            )
        )

    def on_incidents_screen_recorded(self, message: Recorded) -> None:
        for name in ("what", "where", "who", "witness", "attach"):
            self.query_one(f"#incident-{name}", Input).value = ""
        self._result(message.line)
        self.notify(message.line, title="Incident log", markup=False)
        self.refresh_table()

    def on_incidents_screen_refused(self, message: Refused) -> None:
        self._result(f"Not recorded: {message.reason}")

    def action_back(self) -> None:
        self.dismiss(None)


def describe(incident: Incident) -> str:
    """The incident's current text, who and where, files with hashes, and its history."""
    v = incident.current
    lines = [f"Incident {incident.id} — {format_when(v.happened_at)}", v.what]
    lines += [f"Where: {p}" for p in v.places]
    if v.who:
        lines.append(f"Who: {v.who}")
    lines += [f"Witness: {w}" for w in v.witnesses]
    for a in incident.attachments:
        lines.append(f"File: {a.name}  SHA-256 {a.sha256}")
    for old in reversed(incident.versions[:-1]):
        lines.append(f"EDITED — version {old.number} (recorded {iso(old.recorded_at)}): {old.what}")
    return "\n".join(lines)
