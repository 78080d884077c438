"""Check a source by hand from a "check by hand" checklist item: a window, or a saved page.

The same two ways as ``exposure assist`` and ``exposure import``
(exposure/engine/by_hand.py), run in a thread worker with a Store of its own:

* **Open in a browser window**: a visible window of the person's own
  Chromium opens the source's page; they solve the site's check there, and
  exposure reads the page once the records show, or when they press
  "Read it now" here. (Headful in real use; ``HEADLESS`` is for tests only,
  where a script solves a loopback challenge in place of the person.)
* **Import a saved page**: the path of a page they saved (.html, .mhtml).

Dismisses True when something was recorded, so the checklist reloads.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from exposure.errors import ExposureError
from exposure.model import ChecklistItem, Profile
from exposure.tui.safe import literal

if TYPE_CHECKING:
    from exposure.engine.by_hand import HandRun
    from exposure.tui.app import ExposureApp
    from exposure.tui.screens.checklist import ChecklistScreen


def source_of(item: ChecklistItem) -> str:
    """The source a "check by hand" item is about ("" when it lists many)."""
    return item.id.removeprefix("check:broker:") if item.id.startswith("check:broker:") else ""


def open_for(screen: ChecklistScreen) -> None:
    """The checklist's ``b``: both ways through for the highlighted "check by hand" item."""
    item = screen.current()
    if item is None or item.category != "check":
        screen.notify("Choose a 'check by hand' item first.", title="Check by hand")
        return

    def after(recorded: bool | None) -> None:
        if recorded:
            screen.action_reload()

    screen.app.push_screen(HandCheckScreen(screen.profile, item), after)


class HandCheckScreen(ModalScreen[bool]):
    """Both ways through for one source; the result line says what was kept."""

    HEADLESS: ClassVar[bool] = False  # tests only: no window, a script is the person
    WAIT: ClassVar[float] = 600.0

    DEFAULT_CSS = """
    HandCheckScreen { align: center middle; }
    HandCheckScreen > #hand {
        width: 84; max-width: 95%; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    HandCheckScreen Horizontal { height: auto; margin: 1 0 0 0; }
    HandCheckScreen Horizontal > Button { margin: 0 2 0 0; }
    """

    BINDINGS = [Binding("escape", "back", "Back", id="hand.back")]

    def __init__(self, profile: Profile, item: ChecklistItem) -> None:
        super().__init__()
        self.profile = profile
        self.item = item
        self.proceed = threading.Event()
        self.recorded = False

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="hand"):
            yield Static(literal(self.item.title), classes="pane-title", markup=False)
            yield Label("Source (a broker id or site name, as the item lists it)")
            yield Input(source_of(self.item), id="hand-source")
            with Horizontal():
                yield Button("Open in a browser window", variant="primary", id="hand-assist")
                yield Button("Read it now", id="hand-proceed", disabled=True)
            yield Label("Or a page you saved from your browser (.html or .mhtml)")
            yield Input(placeholder="path of the saved page", id="hand-file")
            with Horizontal():
                yield Button("Import it", id="hand-import")
            yield Static("", id="hand-result", markup=False)

    def _result(self, text: str) -> None:
        self.query_one("#hand-result", Static).update(literal(text))

    def _source(self) -> str:
        return self.query_one("#hand-source", Input).value.strip()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if not self._source():
            self._result("Say which source first.")
        elif event.button.id == "hand-assist":
            self.proceed.clear()
            self.query_one("#hand-proceed", Button).disabled = False
            self._result("A browser window opens: solve the site's check there, then come back.")
            self.hand_worker(self._source(), None)
        elif event.button.id == "hand-proceed":
            self.proceed.set()
        elif event.button.id == "hand-import":
            raw = self.query_one("#hand-file", Input).value.strip()
            if not raw:
                self._result("Give the saved page's path.")
                return
            self._result("Reading the saved page…")
            self.hand_worker(self._source(), Path(raw).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="hand")
    def hand_worker(self, source_id: str, file: Path | None) -> None:
        from exposure.checkers.saved import page_url, resolve_source
        from exposure.engine import by_hand
        from exposure.engine.store import Store

        app = self.exposure
        try:
            ctx = by_hand.context(self.profile, app.config)
            try:
                source = resolve_source(ctx, source_id)
                with Store(app.where.database, app.where.evidence_dir) as store:
                    if file is not None:
                        run = by_hand.import_saved(store, app.where.locks_dir, ctx, source, file)
                    else:
                        run = by_hand.assist(
                            store,
                            app.where.locks_dir,
                            ctx,
                            source,
                            url=page_url(ctx, source),
                            wait=self.WAIT,
                            proceed=self.proceed,
                            headless=self.HEADLESS,
                        )
            finally:
                ctx.http.close()
        except ExposureError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the browser's own failures, said in one line
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._done, run)

    def _failed(self, reason: str) -> None:
        self.query_one("#hand-proceed", Button).disabled = True
        self._result(f"Nothing recorded: {reason}")
        self.notify(reason, title="Check by hand", severity="error", markup=False)

    def _done(self, run: HandRun) -> None:
        self.recorded = True
        self.query_one("#hand-proceed", Button).disabled = True
        check = run.kept.checks[0]
        line = f"Recorded: {check.source} {check.status.value} — {check.detail}"
        self._result(line)
        self.notify(line, title="Check by hand", markup=False)

    def action_back(self) -> None:
        self.dismiss(self.recorded)
