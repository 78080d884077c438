"""The checklist: what to do, most urgent first; tick items off as they are done.

Built by :mod:`exposure.engine.checklist` (through :mod:`exposure.tui.bridges`, so
the app still opens without it). Verified and relisted items are marked
in words, not colour only: "verified" means a later scan no longer saw it,
"relisted" means it came back and must be done again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from exposure.errors import UsageError
from exposure.model import ChecklistItem, Profile
from exposure.tui.bridges import checklist_items, mark_item
from exposure.tui.safe import is_web_link, literal, open_link, when
from exposure.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

PRIORITY_TITLE = {
    1: "Priority 1 — do these first",
    2: "Priority 2 — soon",
    3: "Priority 3",
    4: "Priority 4 — when you can",
    5: "Priority 5 — good habits",
}
STATUS_MARK = {
    "open": "[ ] ",
    "done": "[x] ",
    "verified": "[✓] ",
    "relisted": "[!] ",
}
STATUS_NOTE = {
    "done": "done",
    "verified": "VERIFIED: no longer seen",
    "relisted": "RELISTED: it came back, do it again",
}


def item_prompt(item: ChecklistItem) -> Text:
    text = Text(STATUS_MARK.get(item.status, "[ ] "), style="bold")
    text.append(literal(item.title, limit=200, style="strike" if item.status == "done" else ""))
    note = STATUS_NOTE.get(item.status)
    if note:
        text.append(f"  ({note})", style="bold" if item.status == "relisted" else "italic")
    return text


def item_detail(item: ChecklistItem) -> Text:
    out = Text()
    out.append(literal(item.title, style="bold"))
    out.append("\n")
    status = item.status
    if item.changed_at is not None and status != "open":
        status += f" since {when(item.changed_at)}"
    out.append(f"{'Status':<9}", style="bold")
    out.append(status + "\n")
    out.append(f"{'Item':<9}", style="bold")
    out.append(literal(f"{item.id} ({item.category or 'general'}, priority {item.priority})"))
    out.append("\n")
    if item.url:
        out.append(f"{'Link':<9}", style="bold")
        out.append(literal(item.url))
        out.append("  (o opens it)\n" if is_web_link(item.url) else "\n")
    for n, step in enumerate(item.steps, start=1):
        out.append(f"{n:>2}. ")
        out.append(literal(step))
        out.append("\n")
    out.rstrip()
    return out


class ChecklistScreen(Screen[None]):
    """One profile's remediation plan."""

    BINDINGS = [
        Binding("space", "toggle_done", "Done / undo", id="checklist.toggle", key_display="space"),
        Binding("o", "open_link", "Open link", id="checklist.open"),
        Binding("b", "check_by_hand", "By hand", id="checklist.by_hand"),
        Binding("f5", "reload", "Refresh", id="checklist.refresh", key_display="F5"),
        Binding("escape", "back", "Back", id="checklist.back"),
    ]

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.items: list[ChecklistItem] | None = None

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="checklist-summary", markup=False)
        yield ProgressBar(id="checklist-progress", show_eta=False)
        yield OptionList(id="checklist-items")
        with VerticalScroll(id="checklist-detail"):
            yield Static(id="checklist-detail-text", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#checklist-items", OptionList).focus()

    def action_reload(self, keep: str | None = None) -> None:
        app = self.exposure
        try:
            self.items = checklist_items(app.store, self.profile, app.config.confidence_threshold)
        except UsageError as exc:
            self.items = []
            self.notify(str(exc), title="Checklist", severity="error", markup=False)
        options = self.query_one("#checklist-items", OptionList)
        options.clear_options()
        summary = self.query_one("#checklist-summary", Static)
        bar = self.query_one("#checklist-progress", ProgressBar)
        if self.items is None:
            summary.update("The checklist is not available in this version of exposure.")
            bar.update(total=1, progress=0)
            self._detail(None)
            return
        if not self.items:
            summary.update("Nothing to do yet: scan this profile first (s on the dashboard).")
            bar.update(total=1, progress=0)
            self._detail(None)
            return
        finished = sum(i.status in ("done", "verified") for i in self.items)
        todo = [i for i in self.items if i.status in ("open", "relisted")]
        relisted = sum(i.status == "relisted" for i in self.items)
        line = f"{len(self.items)} items: {finished} done, {len(todo)} to do"
        if relisted:
            line += f" ({relisted} relisted: they came back)"
        summary.update(literal(f"{self.profile.id} — {line}"))
        bar.update(total=len(self.items), progress=finished)
        for priority in sorted({i.priority for i in self.items}):
            heading = PRIORITY_TITLE.get(priority, f"Priority {priority}")
            options.add_option(Option(Text(heading, style="bold underline"), disabled=True))
            for item in (i for i in self.items if i.priority == priority):
                options.add_option(Option(item_prompt(item), id=item.id))
        ids = [i.id for i in self.items]
        target = keep if keep in ids else ids[0]
        index = options.get_option_index(target)
        options.highlighted = index
        self._detail(self._item(target))

    def _item(self, item_id: str | None) -> ChecklistItem | None:
        return next((i for i in self.items or [] if i.id == item_id), None)

    def current(self) -> ChecklistItem | None:
        options = self.query_one("#checklist-items", OptionList)
        if options.highlighted is None:
            return None
        return self._item(options.get_option_at_index(options.highlighted).id)

    def _detail(self, item: ChecklistItem | None) -> None:
        text = self.query_one("#checklist-detail-text", Static)
        text.update(item_detail(item) if item else "")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._detail(self._item(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_toggle_done()

    def action_toggle_done(self) -> None:
        item = self.current()
        if item is None:
            return
        done = item.status not in ("done", "verified")
        app = self.exposure
        try:
            marked = mark_item(
                app.store,
                self.profile,
                item.id,
                done=done,
                threshold=app.config.confidence_threshold,
            )
        except UsageError as exc:
            self.notify(str(exc), title="Checklist", severity="error", markup=False)
            return
        if marked is None:
            self.notify("The checklist is not available.", title="Checklist")
            return
        self.action_reload(keep=item.id)

    def action_open_link(self) -> None:
        item = self.current()
        if item is None or not item.url:
            self.notify("This item has no link.", title="Link")
        elif not is_web_link(item.url):
            self.notify("Only http(s) links are opened.", title="Link", severity="warning")
        elif not open_link(item.url):
            self.notify("No browser could be opened.", title="Link", severity="warning")

    def action_check_by_hand(self) -> None:
        from exposure.tui.screens.hand_check import open_for

        open_for(self)

    def action_back(self) -> None:
        self.dismiss(None)
