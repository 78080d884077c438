"""The footer every screen shows: Textual's, with the quick-exit key first.

Textual lists the focused widget's keys, then the screen's, then the app's,
so on a busy screen at 80 columns the app's keys fall off the right edge.
Quick exit must never be the key that is cut off.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

QUICK_EXIT_ACTION = "quick_exit"


class Footer(TextualFooter):
    """Key hints, quick exit first."""

    def compose(self) -> ComposeResult:
        keys: list[Widget] = list(super().compose())
        first = [w for w in keys if isinstance(w, FooterKey) and w.action == QUICK_EXIT_ACTION]
        yield from first
        yield from (w for w in keys if w not in first)
