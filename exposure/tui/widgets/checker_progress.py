"""One checker's live progress: a bar, the source it just finished, and its counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, ProgressBar, Static

from exposure.model import Check, Outcome
from exposure.tui.safe import literal


class CheckerProgress(Vertical):
    """Progress of one checker in a running scan."""

    DEFAULT_CSS = """
    CheckerProgress { height: 2; }
    CheckerProgress > Horizontal { height: 1; }
    CheckerProgress .checker-name { width: 14; text-style: bold; }
    CheckerProgress ProgressBar { width: 1fr; }
    CheckerProgress .checker-state { width: auto; padding: 0 1; }
    CheckerProgress .checker-counts { height: 1; padding: 0 0 0 14; color: $text-muted; }
    """

    def __init__(self, checker_id: str, total: int, note: str = "") -> None:
        super().__init__(id=f"progress-{checker_id}")
        self.checker_id = checker_id
        self.total = total
        self.done = 0
        self.counts: Counter[Outcome] = Counter()
        self.current = ""
        self.note = note

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(literal(self.checker_id, limit=13), classes="checker-name")
            yield ProgressBar(total=self.total or None, show_eta=False)
            yield Label(self._state(), classes="checker-state", markup=False)
        yield Static(self._counts(), classes="checker-counts", markup=False)

    def _state(self) -> str:
        return self.note or f"{self.done}/{self.total}"

    def _counts(self) -> Text:
        text = Text()
        for outcome in (Outcome.FOUND, Outcome.ABSENT, Outcome.BLOCKED, Outcome.ERROR):
            text.append(f"{outcome.value} {self.counts[outcome]}  ")
        if self.counts[Outcome.SKIPPED]:
            text.append(f"skipped {self.counts[Outcome.SKIPPED]}  ")
        if self.current:
            text.append("last: ")
            text.append(literal(self.current, limit=30))
        return text

    def advance(self, source: str, checks: Iterable[Check]) -> None:
        self.done += 1
        self.current = source
        self.counts.update(c.status for c in checks)
        self._show()

    def finish(self, note: str) -> None:
        """Mark the end (``done``, ``cancelled``...) next to the bar."""
        self.note = note if self.done >= self.total else f"{self.done}/{self.total} {note}"
        self._show()

    def on_mount(self) -> None:
        self._show()  # what arrived before the parts were composed

    def _show(self) -> None:
        bars = self.query(ProgressBar)
        if not bars:  # not composed yet: on_mount shows it
            return
        bars.first().update(progress=self.done)
        self.query_one(".checker-state", Label).update(self._state())
        self.query_one(".checker-counts", Static).update(self._counts())


class ProgressList(VerticalScroll):
    """The scrolling list of checkers; says (``Moved``) when what is in view may have changed."""

    class Moved(Message):
        """Scrolled, resized, or grown: the "n more below" note needs a look."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Moved())

    def watch_virtual_size(self) -> None:
        self.post_message(self.Moved())

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.post_message(self.Moved())
