"""The findings screen: a sortable, filterable table with the why and the evidence.

The person's verdicts live in the store: "not me" hides a finding here and in
every report from then on (it is never reported again as a match), "me"
confirms it. "New" means first seen (or seen back) since the person last
opened this screen for the profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Select, Static

from exposure.engine.seen import ME, NOT_ME
from exposure.model import Finding, FindingKind, Profile
from exposure.tui.bridges import is_new_since
from exposure.tui.safe import is_web_link, literal, open_link
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.widgets import columns
from exposure.tui.widgets.finding_detail import FindingDetail
from exposure.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

ANY = "*"
VERDICT_MARK = {ME: "✓ me", NOT_ME: "✗ not me"}
SORTABLE = ("confidence", "source", "kind", "title", "status", "new", "verdict")
# "Not me" on one of these hides something serious: it asks first instead of only offering undo
ASK_BEFORE_REJECTING = frozenset(
    {FindingKind.BREACH, FindingKind.PASSWORD, FindingKind.PERSON_RECORD, FindingKind.LINKED_RECORD}
)
FIXED_COLUMNS = {"pick": 1, "new": 3, "confidence": 5, "kind": 13, "status": 6, "verdict": 8}


@dataclass(frozen=True)
class VerdictChange:
    """What one verdict key changed: finding id -> the verdict before ('' for none)."""

    before: dict[str, str]
    verdict: str


def flexible_widths(screen_width: int) -> dict[str, int]:
    """Source and What share what the fixed columns leave of the screen's width."""
    return columns.flexible_widths(screen_width, FIXED_COLUMNS)


class FindingsScreen(Screen[None]):
    """One profile's findings. Filters on top, details below."""

    BINDINGS = [
        Binding("o", "open_link", "Open link", id="findings.open", show=False),
        Binding("m", "verdict('me')", "Me", id="findings.me"),
        Binding("x", "verdict('not_me')", "Not me", id="findings.not_me"),
        Binding("u", "verdict('')", "Undecided", id="findings.undecided", show=False),
        Binding("z", "undo", "Undo", id="findings.undo"),
        Binding("v", "pick", "Select", id="findings.pick"),
        Binding("t", "cycle_sort", "Sort", id="findings.sort"),
        Binding("slash", "focus_filters", "Filter", id="findings.filter", key_display="/"),
        Binding("escape", "back", "Back", id="findings.back"),
    ]

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.findings: list[Finding] = []
        self.verdicts: dict[str, str] = {}
        self.last_visit: datetime | None = None
        self.sort_by = "confidence"
        self.reverse = True
        self.rows: list[Finding] = []
        self.picked: set[str] = set()  # findings selected (v) for one verdict
        self.last_change: VerdictChange | None = None  # what z undoes

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        threshold = self.exposure.config.confidence_threshold
        yield Header()
        with Horizontal(id="filters"):
            yield Select(
                [(k.value, k.value) for k in FindingKind], prompt="kind: any", id="filter-kind"
            )
            yield Select([], prompt="source: any", id="filter-source")
            yield Select(
                [(s, s) for s in ("open", "back", "gone")], prompt="status: any", id="filter-status"
            )
            yield Select(
                [
                    (f"conf ≥ {threshold:.2f}", threshold),
                    ("conf: any", 0.0),
                    ("conf ≥ 0.80", 0.8),
                    ("conf ≥ 0.90", 0.9),
                ],
                value=threshold,
                allow_blank=False,
                id="filter-confidence",
            )
            yield Select(
                [
                    ("show: all", "all"),
                    ("new since visit", "new"),
                    ("confirmed (me)", ME),
                    ("rejected (not me)", NOT_ME),
                ],
                value="all",
                allow_blank=False,
                id="filter-show",
            )
        yield Static(id="findings-count", markup=False)
        yield DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        yield FindingDetail(id="finding-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#findings", DataTable)
        flexible = flexible_widths(self.size.width or 80)
        widths = FIXED_COLUMNS | flexible
        for key, label in (
            ("pick", ""),
            ("new", "New"),
            ("confidence", "Conf."),
            ("kind", "Kind"),
            ("source", "Source"),
            ("title", "What"),
            ("status", "Status"),
            ("verdict", "Verdict"),
        ):
            table.add_column(label, key=key, width=widths[key])
        app = self.exposure
        self.last_visit = app.visits.last(self.profile.id)
        app.visits.record(self.profile.id, app.clock())
        self.reload()
        table.focus()

    # -- data ---------------------------------------------------------------------------

    def reload(self) -> None:
        store = self.exposure.store
        self.findings = store.findings(self.profile.id, include_rejected=True)
        self.verdicts = store.verdicts(self.profile.id)
        sources = sorted({f.source for f in self.findings})
        source = self.query_one("#filter-source", Select)
        chosen = source.value
        source.set_options([(literal(s, limit=40), s) for s in sources])
        if isinstance(chosen, str) and chosen in sources:
            source.value = chosen
        self.refill()

    def _filter(self, name: str) -> object:
        value = self.query_one(f"#filter-{name}", Select).value
        return ANY if value is Select.NULL else value

    def passes(self, f: Finding) -> bool:
        verdict = self.verdicts.get(f.id)
        show = self._filter("show")
        if (show == NOT_ME) != (verdict == NOT_ME):
            return False
        if show == ME and verdict != ME:
            return False
        if show == "new" and not is_new_since(f, self.last_visit):
            return False
        for name, value in (("kind", f.kind.value), ("source", f.source), ("status", f.status)):
            wanted = self._filter(name)
            if wanted != ANY and wanted != value:
                return False
        minimum = self._filter("confidence")
        floor = minimum if isinstance(minimum, int | float) else 0.0
        return verdict == ME or f.confidence >= floor

    def _sort_key(self, f: Finding) -> tuple[object, ...]:
        value: object = {
            "confidence": f.confidence,
            "source": f.source.casefold(),
            "kind": f.kind.value,
            "title": (f.title or f.url).casefold(),
            "status": f.status,
            "new": is_new_since(f, self.last_visit),
            "verdict": self.verdicts.get(f.id, ""),
        }[self.sort_by]
        return (value, f.source.casefold(), f.id)

    def on_resize(self) -> None:
        columns.apply_widths(
            self.query_one("#findings", DataTable), flexible_widths(self.size.width)
        )

    def refill(self) -> None:
        table = self.query_one("#findings", DataTable)
        current = self.current()
        at_row = max(table.cursor_row, 0)
        self.rows = sorted(
            (f for f in self.findings if self.passes(f)), key=self._sort_key, reverse=self.reverse
        )
        table.clear()
        for f in self.rows:
            verdict = self.verdicts.get(f.id, "")
            table.add_row(
                Text("▌" if f.id in self.picked else "", style="bold"),
                Text("●" if is_new_since(f, self.last_visit) else ""),
                Text(f"{f.confidence:.2f}"),
                Text(f.kind.value),
                literal(f.source, limit=40),
                literal(f.title or f.url, limit=160),
                Text(f.status),
                Text(VERDICT_MARK.get(verdict, "")),
                key=f.id,
            )
        if current is not None and current.id in {f.id for f in self.rows}:
            table.move_cursor(row=table.get_row_index(current.id), scroll=True)
        elif self.rows:  # the row went away (not me hides it): stay at the same place
            table.move_cursor(row=min(at_row, len(self.rows) - 1), scroll=True)
        hidden = sum(self.verdicts.get(f.id) == NOT_ME for f in self.findings)
        arrow = "↓" if self.reverse else "↑"
        line = (
            f"{len(self.rows)} of {len(self.findings) - hidden} findings shown"
            f" ({hidden} rejected as not you) · sorted by {self.sort_by} {arrow}"
        )
        if self.picked:
            line += f" · {len(self.picked)} selected"
        self.query_one("#findings-count", Static).update(line)
        self._show_detail()

    def current(self) -> Finding | None:
        table = self.query_one("#findings", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return next((f for f in self.rows if f.id == key), None)

    def _show_detail(self) -> None:
        f = self.current()
        detail = self.query_one(FindingDetail)
        if f is None:
            detail.show(None)
        else:
            detail.show(f, self.verdicts.get(f.id), new=is_new_since(f, self.last_visit))

    # -- events and actions ----------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.is_mounted and self.findings is not None:
            self.refill()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_by:
            self.reverse = not self.reverse
        else:
            self.sort_by, self.reverse = key, key in ("confidence", "new")
        self.refill()

    def action_cycle_sort(self) -> None:
        nxt = SORTABLE[(SORTABLE.index(self.sort_by) + 1) % len(SORTABLE)]
        self.sort_by, self.reverse = nxt, nxt in ("confidence", "new")
        self.refill()

    def action_focus_filters(self) -> None:
        self.query_one("#filter-kind", Select).focus()

    def action_open_link(self) -> None:
        f = self.current()
        if f is None:
            return
        if not is_web_link(f.url):
            self.notify("Only http(s) links are opened.", title="Link", severity="warning")
        elif not open_link(f.url):
            self.notify("No browser could be opened.", title="Link", severity="warning")

    def action_pick(self) -> None:
        """Select (or unselect) the finding under the cursor, then move down."""
        f = self.current()
        if f is None:
            return
        self.picked.symmetric_difference_update({f.id})
        table = self.query_one("#findings", DataTable)
        row = table.cursor_row
        self.refill()
        table.move_cursor(row=min(row + 1, len(self.rows) - 1))

    def targets(self) -> list[Finding]:
        """The selected findings still shown, or else the one under the cursor."""
        picked = [f for f in self.rows if f.id in self.picked]
        if picked:
            return picked
        f = self.current()
        return [f] if f is not None else []

    def action_verdict(self, verdict: str) -> None:
        chosen = self.targets()
        if not chosen:
            return
        serious = [f for f in chosen if f.kind in ASK_BEFORE_REJECTING]
        if verdict == NOT_ME and serious:
            kinds = ", ".join(sorted({f.kind.value.replace("_", " ") for f in serious}))
            what = "this finding" if len(chosen) == 1 else f"these {len(chosen)} findings"
            question = (
                f"Mark {what} as not you? It includes a {kinds}: once rejected it is never "
                "reported again, on the checklist or in reports (z undoes it)."
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._apply(chosen, verdict)

            self.app.push_screen(ConfirmScreen(question, yes="Not me", no="Keep it"), answered)
            return
        self._apply(chosen, verdict)

    def _apply(self, chosen: list[Finding], verdict: str) -> None:
        store = self.exposure.store
        before = {f.id: self.verdicts.get(f.id, "") for f in chosen}
        for f in chosen:
            store.set_verdict(self.profile.id, f.id, verdict or None)
        self.last_change = VerdictChange(before, verdict)
        self.verdicts = store.verdicts(self.profile.id)
        self.picked.clear()
        count = "" if len(chosen) == 1 else f"{len(chosen)} findings "
        messages = {
            ME: f"{count}Confirmed as you: it stays on your checklist.",
            NOT_ME: f"{count}Marked not you: hidden from the list and reports. z undoes it.",
            "": f"{count}Verdict forgotten. z undoes it.",
        }
        self.notify(messages[verdict], title="Verdict", markup=False, timeout=6)
        self.refill()

    def action_undo(self) -> None:
        change = self.last_change
        if change is None:
            self.notify("No verdict to undo.", title="Undo")
            return
        store = self.exposure.store
        for finding_id, before in change.before.items():
            store.set_verdict(self.profile.id, finding_id, before or None)
        self.last_change = None
        self.verdicts = store.verdicts(self.profile.id)
        self.refill()
        back = next(iter(change.before))
        if back in {f.id for f in self.rows}:
            table = self.query_one("#findings", DataTable)
            table.move_cursor(row=table.get_row_index(back), scroll=True)
        self.notify(f"Undone: {len(change.before)} verdict(s) as before.", title="Undo")

    def action_back(self) -> None:
        self.dismiss(None)
