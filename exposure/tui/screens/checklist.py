"""The checklist: what to do, in groups by what it exposes; tick items off as they are done.

Built by :mod:`exposure.engine.checklist` (through :mod:`exposure.tui.bridges`).
Items come in groups: your home address and phone first, then breaches and
passwords, then accounts (many under one common username folded into one
item), other details, what to check by hand, good habits. Verified and
relisted items are marked in words, not colour only.

Removal items show their request's countdown ("12 days left", "OVERDUE by
3 days"), counted from the app's clock; the summary counts the overdue ones
and ``w`` shows only them (or only what is left to do). ``/`` searches the
titles, ids and steps. ``d`` drafts the request for the highlighted item
(exposure/tui/screens/request.py: read, copy, mail, mark sent). On an account
item, ``m`` says all its accounts are yours, ``x`` that none is (after a
question), and space marks them reported; on one account, ``m`` also adds it to
the profile's own accounts. Steps name these keys instead of the commands the
command line shows (exposure/tui/step_keys.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option

from exposure.engine.checklist import ACCOUNT_CATEGORIES, AccountVerdict, decide
from exposure.engine.checklist_groups import by_group
from exposure.engine.removal import REQUESTABLE, prepare
from exposure.engine.removal_order import grouped_under
from exposure.engine.request_log import DROP_ITEM, countdown, describe
from exposure.errors import ExposureError, UsageError
from exposure.model import ChecklistItem, Profile, RequestState
from exposure.people.profile import edit_profile
from exposure.textsafe import clean
from exposure.tui.bridges import checklist_items, mark_item
from exposure.tui.safe import is_web_link, literal, open_link, when
from exposure.tui.screens.confirm import ConfirmScreen
from exposure.tui.screens.request import Opener, RequestScreen, open_outside
from exposure.tui.step_keys import as_keys
from exposure.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

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


class Show(StrEnum):
    """Which items the list shows (``w`` goes round them)."""

    ALL = "everything"
    TODO = "to do"
    OVERDUE = "overdue"


def is_overdue(item: ChecklistItem) -> bool:
    return item.request is not None and item.request.state is RequestState.OVERDUE


def shown(item: ChecklistItem, show: Show, search: str) -> bool:
    """Whether ``item`` passes the filter and the search (title, id, steps, members)."""
    if show is Show.TODO and item.status not in ("open", "relisted"):
        return False
    if show is Show.OVERDUE and not is_overdue(item):
        return False
    words = search.casefold().split()
    if not words:
        return True
    haystack = " ".join(
        part for one in item.walk() for part in (one.title, one.id, one.url, *one.steps)
    ).casefold()
    return all(w in haystack for w in words)


def item_prompt(item: ChecklistItem) -> Text:
    text = Text("    " if grouped_under(item) else "")
    text.append(STATUS_MARK.get(item.status, "[ ] "), style="bold")
    text.append(literal(item.title, limit=200, style="strike" if item.status == "done" else ""))
    note = STATUS_NOTE.get(item.status)
    if note:
        text.append(f"  ({note})", style="bold" if item.status == "relisted" else "italic")
    left = countdown(item.request) if item.request is not None else ""
    if left:
        text.append(f"  {left}", style="bold reverse" if is_overdue(item) else "italic")
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
    if item.request is not None:
        out.append(f"{'Request':<9}", style="bold")
        out.append(describe(item.request))
        out.append("  (d drafts the next step)\n" if item.category in REQUESTABLE else "\n")
        if item.id == DROP_ITEM:
            out.append(" " * 9 + "d marks it sent once you have asked on the DROP site\n")
    elif item.category in REQUESTABLE:
        out.append(f"{'Request':<9}", style="bold")
        out.append("none yet (d drafts it)\n")
    if item.members:
        out.append(f"{'Accounts':<9}", style="bold")
        out.append(
            f"{len(item.members)}: m all mine · x none mine · space reported "
            "(one by one: the findings screen)\n"
        )
    if item.url:
        out.append(f"{'Link':<9}", style="bold")
        out.append(literal(item.url))
        out.append("  (o opens it)\n" if is_web_link(item.url) else "\n")
    for n, step in enumerate(item.steps, start=1):
        out.append(f"{n:>2}. ")
        out.append(literal(as_keys(step)))
        out.append("\n")
    out.rstrip()
    return out


class ChecklistScreen(Screen[None]):
    """One profile's remediation plan."""

    BINDINGS = [
        Binding("space", "toggle_done", "Done / undo", id="checklist.toggle", key_display="space"),
        Binding("d", "draft", "Draft", id="checklist.draft"),
        # o, m and x are said in the item's details where they apply (the footer fits 80)
        Binding("o", "open_link", "Open link", id="checklist.open", show=False),
        Binding("b", "check_by_hand", "By hand", id="checklist.by_hand"),
        Binding("m", "accounts('me')", "Me", id="checklist.mine", show=False),
        Binding("x", "accounts('not_me')", "Not me", id="checklist.not_mine", show=False),
        Binding("slash", "search", "Filter", id="checklist.search", key_display="/"),
        Binding("w", "cycle_show", "Show", id="checklist.show"),
        Binding("f5", "reload", "Refresh", id="checklist.refresh", key_display="F5", show=False),
        Binding("escape", "back", "Back", id="checklist.back"),
    ]

    def __init__(self, profile: Profile, *, mail_opener: Opener = open_outside) -> None:
        super().__init__()
        self.profile = profile
        self.items: list[ChecklistItem] | None = None
        self.mail_opener = mail_opener  # tests pass their own: no mail program starts

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="checklist-summary", markup=False)
        yield ProgressBar(id="checklist-progress", show_eta=False)
        with Horizontal(id="checklist-filters"):
            yield Input(placeholder="/ search the checklist", id="checklist-search", compact=True)
            yield Select(
                [(f"show: {s.value}", s) for s in Show],
                value=Show.ALL,
                allow_blank=False,
                id="checklist-show",
                compact=True,
            )
        yield OptionList(id="checklist-items")
        with VerticalScroll(id="checklist-detail"):
            yield Static(id="checklist-detail-text", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#checklist-items", OptionList).focus()

    # -- reading and showing ---------------------------------------------------------

    @property
    def show(self) -> Show:
        value = self.query_one("#checklist-show", Select).value
        return value if isinstance(value, Show) else Show.ALL

    @property
    def search(self) -> str:
        return self.query_one("#checklist-search", Input).value

    def action_reload(self, keep: str | None = None) -> None:
        app = self.exposure
        try:
            self.items = checklist_items(
                app.store,
                self.profile,
                app.config.confidence_threshold,
                today=app.clock().date(),
            )
        except UsageError as exc:
            self.items = []
            self.notify(str(exc), title="Checklist", severity="error", markup=False)
        self._fill(keep)

    def _fill(self, keep: str | None = None) -> None:
        items = self.items or []
        options = self.query_one("#checklist-items", OptionList)
        options.clear_options()
        summary = self.query_one("#checklist-summary", Static)
        bar = self.query_one("#checklist-progress", ProgressBar)
        if not items:
            summary.update("Nothing to do yet: scan this profile first (s on the dashboard).")
            bar.update(total=1, progress=0)
            self._detail(None)
            return
        finished = sum(i.status in ("done", "verified") for i in items)
        todo = sum(i.status in ("open", "relisted") for i in items)
        relisted = sum(i.status == "relisted" for i in items)
        overdue = sum(is_overdue(i) for i in items)
        line = f"{len(items)} items: {finished} done, {todo} to do"
        if relisted:
            line += f" ({relisted} relisted: they came back)"
        if overdue:
            line += f"; {overdue} OVERDUE (w shows them)"
        visible = [i for i in items if shown(i, self.show, self.search)]
        if len(visible) < len(items):
            line += f"; showing {len(visible)}"
        summary.update(literal(f"{self.profile.id} — {line}"))
        bar.update(total=len(items), progress=finished)
        for group, members in by_group(visible):
            left = sum(i.status in ("open", "relisted") for i in members)
            heading = Text(f"{group.heading} — {left} to do", style="bold underline")
            options.add_option(Option(heading, disabled=True))
            options.add_options(Option(item_prompt(i), id=i.id) for i in members)
        if not visible:
            options.add_option(Option(Text("Nothing matches: clear the search or press w."),
                                      disabled=True))  # fmt: skip
            self._detail(None)
            return
        ids = [i.id for i in visible]
        target = keep if keep in ids else ids[0]
        options.highlighted = options.get_option_index(target)
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

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "checklist-search":
            self._fill(self._kept())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "checklist-search":
            self.query_one("#checklist-items", OptionList).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "checklist-show":
            self._fill(self._kept())

    def _kept(self) -> str | None:
        item = self.current()
        return item.id if item else None

    def action_search(self) -> None:
        self.query_one("#checklist-search", Input).focus()

    def action_cycle_show(self) -> None:
        order = list(Show)
        select = self.query_one("#checklist-show", Select)
        select.value = order[(order.index(self.show) + 1) % len(order)]

    # -- acting ------------------------------------------------------------------------

    def action_toggle_done(self) -> None:
        item = self.current()
        if item is None:
            return
        done = item.status not in ("done", "verified")
        app = self.exposure
        try:
            mark_item(
                app.store,
                self.profile,
                item.id,
                done=done,
                threshold=app.config.confidence_threshold,
            )
        except UsageError as exc:
            self.notify(str(exc), title="Checklist", severity="error", markup=False)
            return
        self.action_reload(keep=item.id)

    def action_draft(self) -> None:
        item = self.current()
        if item is None:
            return
        app = self.exposure
        today = app.clock().date()
        draft = None
        if item.id != DROP_ITEM:  # DROP is asked on the state's site: only marked sent here
            try:
                draft = prepare(
                    app.store,
                    self.profile,
                    item.id,
                    threshold=app.config.confidence_threshold,
                    today=today,
                ).draft
            except UsageError as exc:
                self.notify(str(exc), title="Request", severity="warning", markup=False)
                return

        def after(summary: str | None) -> None:
            self.action_reload(keep=item.id)
            if summary:
                self.notify(clean(summary), title="Request", markup=False)

        screen = RequestScreen(self.profile, item, draft, today, opener=self.mail_opener)
        app.push_screen(screen, after)

    def action_accounts(self, verdict: str) -> None:
        item = self.current()
        if item is None or item.category not in ACCOUNT_CATEGORIES:
            self.notify("m and x are for account items.", title="Accounts")
            return
        whose = AccountVerdict(verdict)
        count = len(item.finding_ids)
        if whose is AccountVerdict.MINE:
            self._decide(item, whose)
            return
        question = (
            f"None of these {count} account(s) is yours? They leave the checklist; the "
            "findings stay, marked not you (the findings screen can change it back)."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._decide(item, whose)

        self.app.push_screen(ConfirmScreen(question, yes="Not mine"), answer)

    def _decide(self, item: ChecklistItem, whose: AccountVerdict) -> None:
        app = self.exposure
        try:
            count = decide(
                app.store, self.profile, item.id, whose, threshold=app.config.confidence_threshold
            )
        except UsageError as exc:
            self.notify(str(exc), title="Accounts", severity="error", markup=False)
            return
        what = "yours" if whose is AccountVerdict.MINE else "not yours"
        self.notify(f"{count} account(s) marked {what}.", title="Accounts", markup=False)
        if whose is AccountVerdict.MINE and item.category == "impostor" and item.url:
            self._add_own_account(item.url)
        self.action_reload()

    def _add_own_account(self, url: str) -> None:
        """One account said to be hers goes into her profile, recognised by every
        later scan (what ``exposure profile edit ID --account URL`` does)."""
        if url in self.profile.accounts:
            return
        try:
            updated = edit_profile(self.profile, accounts=[url])
            self.exposure.profiles.save(updated)
        except (ExposureError, OSError) as exc:
            self.notify(
                f"Marked yours, but not added to the profile: {clean(str(exc), limit=200)}",
                title="Profile",
                severity="error",
                markup=False,
            )
            return
        self.profile = updated
        self.notify(
            f"Added {clean(url, limit=120)} to your profile's accounts.",
            title="Profile",
            markup=False,
        )

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
