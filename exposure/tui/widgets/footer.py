"""The footer every screen shows: Textual's, with quick exit and help first, never cut off.

Textual lists the focused widget's keys, then the screen's, then the app's,
in one row, so on a busy screen at 80 columns the app's keys fall off the
right edge. Here quick exit and help come first, and keys that do not fit
on one row go on to a second one: every key hint stays visible at any width.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

QUICK_EXIT_ACTION = "quick_exit"
FIRST = ("quick_exit", "help", "app.help")  # in this order, before every other key


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes: key, a space, description, its right margin."""
    width = cell_len(key.key_display)
    if key.description:
        width += 1 + cell_len(key.description)
    return width + 1


def rows_of(keys: list[Widget], width: int) -> list[list[Widget]]:
    """``keys`` in rows no wider than ``width`` (one key per row at the least)."""
    rows: list[list[Widget]] = [[]]
    used = 0
    for key in keys:
        size = key_width(key) if isinstance(key, FooterKey) else 1
        if rows[-1] and used + size > width:
            rows.append([])
            used = 0
        rows[-1].append(key)
        used += size
    return rows


class Footer(TextualFooter):
    """Key hints, quick exit and help first, wrapped onto more rows when too many for one."""

    DEFAULT_CSS = """
    Footer { layout: vertical; height: auto; }
    Footer > .footer-row { height: 1; width: 100%; }
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        keys: list[Widget] = list(super().compose())

        def rank(widget: Widget) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            return FIRST.index(action) if action in FIRST else len(FIRST)

        keys.sort(key=rank)  # stable: the others keep Textual's order
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        for row in rows_of(keys, max(width, 1)):
            yield HorizontalGroup(*row, classes="footer-row")

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
