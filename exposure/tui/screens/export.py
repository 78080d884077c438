"""Export: the evidence pack (zip) or a report (html, md, json, csv) for one profile.

The same functions as ``exposure evidence export`` and ``exposure report``,
run in a thread worker with its own Store. Files are written 0600: they hold
personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Select, Static

from exposure.errors import UsageError
from exposure.model import Profile
from exposure.reports.evidence_pack import MissingCaptures
from exposure.tui.bridges import export
from exposure.tui.safe import literal
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

CHOICES: tuple[tuple[str, str, str], ...] = (
    ("Evidence pack (zip: captures, manifest, index.html)", "pack", "zip"),
    ("HTML report", "html", "html"),
    ("Markdown report", "md", "md"),
    ("JSON report", "json", "json"),
    ("CSV of findings", "csv", "csv"),
)
SUFFIX = {fmt: ext for _, fmt, ext in CHOICES}


class ExportScreen(Screen[None]):
    """Write the evidence pack or a report to a file you choose."""

    BINDINGS = [
        Binding("ctrl+s", "export", "Save", id="export.run", priority=True),
        Binding("escape", "back", "Back", id="export.back"),
    ]

    @dataclass
    class Done(Message):
        """The file was written; ``line`` says where and what."""

        line: str

    @dataclass
    class Failed(Message):
        reason: str

    @dataclass
    class Missing(Message):
        """Captures are missing from the locker: nothing was written yet."""

        output: Path
        lines: list[str]  # one per missing capture

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def default_path(self, fmt: str) -> Path:
        day = self.exposure.clock().strftime("%Y%m%d")
        return Path.home() / f"exposure-{self.profile.id}-{day}.{SUFFIX[fmt]}"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="export-form"):
            yield Label(f"Export for {self.profile.id}", classes="pane-title")
            yield Label("What", classes="field-label")
            yield Select(
                [(label, fmt) for label, fmt, _ in CHOICES],
                value="pack",
                allow_blank=False,
                id="export-format",
            )
            yield Label("Save to (written 0600: it holds personal data)", classes="field-label")
            yield Input(str(self.default_path("pack")), id="export-path")
            with Horizontal(id="form-buttons"):
                yield Button("Export", variant="primary", id="export-go")
            yield Static("", id="export-result", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def _result(self, text: str) -> None:
        self.query_one("#export-result", Static).update(literal(text))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "export-format" or not isinstance(event.value, str):
            return
        box = self.query_one("#export-path", Input)
        current = Path(box.value.strip() or self.default_path(event.value))
        box.value = str(current.with_suffix("." + SUFFIX[event.value]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self.action_export()

    def action_export(self) -> None:
        fmt = self.query_one("#export-format", Select).value
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._result("Choose where to save it.")
            return
        self._result("Exporting…")
        self.export_worker(str(fmt), Path(raw).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export_worker(self, fmt: str, output: Path, allow_missing: bool = False) -> None:
        from exposure.engine.store import Store, StoreError

        app = self.exposure
        threshold = app.config.confidence_threshold
        try:
            with Store(app.where.database, app.where.evidence_dir) as store:
                line = export(
                    store, self.profile, fmt, output, threshold, allow_missing=allow_missing
                )
            self.post_message(self.Done(line))
        except MissingCaptures as exc:
            self.post_message(self.Missing(output, [m.line() for m in exc.missing]))
        except (UsageError, StoreError, OSError) as exc:
            self.post_message(self.Failed(str(exc)))
        except Exception as exc:
            self.post_message(self.Failed(f"export failed: {type(exc).__name__}: {exc}"))

    def on_export_screen_done(self, message: Done) -> None:
        self._result(message.line)
        self.notify(message.line, title="Export", markup=False)

    def on_export_screen_missing(self, message: Missing) -> None:
        """Name the missing captures and offer the pack without them (``--allow-missing``)."""
        count = len(message.lines)
        shown = "; ".join(message.lines[:5])
        if count > 5:
            shown += f"; … and {count - 5} more"
        self._result(f"Not exported yet: {count} capture(s) missing from the evidence folder.")
        question = (
            f"{count} capture(s) are missing from the evidence folder: {shown}. "
            "Write the pack without them? Its manifest lists each one as missing."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._result("Exporting without the missing captures…")
                self.export_worker("pack", message.output, allow_missing=True)
            else:
                self._result("Not exported: captures are missing from the evidence folder.")

        self.app.push_screen(ConfirmScreen(question, yes="Write without them", no="Cancel"), answer)

    def on_export_screen_failed(self, message: Failed) -> None:
        self._result(f"Not exported: {message.reason}")
        self.notify(message.reason, title="Export", severity="error", markup=False)

    def action_back(self) -> None:
        self.dismiss(None)
