"""The passphrase screen shown before the TUI opens a locked home.

A small app of its own, run before :class:`~exposure.tui.app.ExposureApp`:
the main app opens the database while it is built, so the key must be there
first. A wrong passphrase is one line under the box and the box stays; Esc
leaves without opening anything; quick exit works here too.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from exposure.engine import vault
from exposure.tui.quick_exit import KEY as QUICK_EXIT_KEY
from exposure.tui.quick_exit import KEY_DISPLAY as QUICK_EXIT_DISPLAY
from exposure.tui.widgets.footer import Footer


class UnlockApp(App[bool]):
    """Ask for the passphrase of a locked home; True once the key is open."""

    TITLE = "exposure"
    CSS = """
    Screen { align: center middle; }
    #unlock { width: 64; height: auto; border: round $accent; padding: 1 2; }
    #unlock-error { color: $error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Leave", id="unlock.leave"),
        Binding(
            QUICK_EXIT_KEY,
            "quick_exit",
            "Quick exit",
            key_display=QUICK_EXIT_DISPLAY,
            id="unlock.quick_exit",
            priority=True,
        ),
    ]

    def __init__(self, home: Path) -> None:
        super().__init__()
        self.home = home

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Static("This exposure home is locked. Passphrase:", markup=False)
            yield Input(password=True, id="passphrase", placeholder="not shown")
            yield Static("", id="unlock-error", markup=False)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#unlock-error", Static)
        if not event.value:
            error.update("Type the passphrase, or Esc to leave.")
            return
        try:
            vault.unlock(event.value, self.home)
        except vault.VaultError as exc:  # wrong passphrase, damaged lock file
            event.input.value = ""
            error.update(str(exc))
            return
        self.exit(True)

    def action_leave(self) -> None:
        self.exit(False)

    def action_quick_exit(self) -> None:
        from exposure.tui.quick_exit import quick_exit

        quick_exit(self)
