"""Table columns sized to the width: fixed columns keep theirs, Source and What share the rest."""

from __future__ import annotations

from collections.abc import Mapping

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

SOURCE_LIMIT = 16  # a source name is cut here (the Source column is at most this wide)


def flexible_widths(width: int, fixed: Mapping[str, int]) -> dict[str, int]:
    """Source and What share what ``fixed`` leaves of ``width`` (1 cell padding each side
    of every column, and a scrollbar): Source a third, at most 16, What the rest."""
    rest = width - sum(fixed.values()) - 2 * (len(fixed) + 2) - 2
    source = max(8, min(SOURCE_LIMIT, rest // 3))
    return {"source": source, "title": max(12, rest - source)}


def apply_widths(table: DataTable, widths: Mapping[str, int]) -> None:
    """Set the columns named in ``widths``; redraw only when one changed."""
    changed = False
    for key, wanted in widths.items():
        column = table.columns.get(ColumnKey(key))
        if column is not None and column.width != wanted:
            column.width = wanted
            changed = True
    if changed:
        table.refresh()
