"""A removal request, drafted for a checklist item: read it, copy it, mail it, mark it sent.

The checklist's ``d`` opens this over the item (exposure/engine/removal.py
wrote and kept the draft, as ``exposure request draft`` does). The letter
and everything around it came partly from catalogues and scraped pages (the
broker's name, the listing links), so it is shown as inert text with control
and bidi characters removed, the ``mailto:`` link too.

* ``k`` copies the letter (To, Subject, body) with the App's
  ``copy_to_clipboard``;
* ``o`` opens the ``mailto:`` link in the mail program, only when the
  catalogue has a privacy address; the opener is injectable (``opener``),
  so tests never start a mail program or a browser;
* Ctrl+S records the sending (how, and the day: today by default) with the
  CLI's own rule (``removal.record_sent``: not in the future, not before the
  listing was first seen); a refused date is said here, and nothing is kept.

California's DROP is asked on the state's own site, not by letter: for it
the screen shows the item's steps instead of a letter, ``o`` opens the DROP
site in the browser, and Ctrl+S records the sending the same way.

Dismisses with a one-line summary when the sending was recorded, else None.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from exposure.engine.removal import record_sent
from exposure.engine.request_log import parse_day, sent_summary
from exposure.engine.requests import Draft, Via
from exposure.errors import UsageError
from exposure.model import ChecklistItem, Profile
from exposure.textsafe import ANY_CONTROL, clean
from exposure.tui.safe import literal, open_link

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

Opener = Callable[[str], bool]


def open_mailto(url: str) -> bool:
    """Hand a ``mailto:`` link to the mail program; False when refused or failed."""
    if not url.startswith("mailto:") or ANY_CONTROL.search(url) or " " in url:
        return False
    try:
        return bool(webbrowser.open(url))
    except webbrowser.Error:
        return False


def open_outside(url: str) -> bool:
    """The default opener: a ``mailto:`` link to the mail program, a web link to the
    browser, nothing else; False when refused or failed."""
    return open_mailto(url) if url.startswith("mailto:") else open_link(url)


def letter_text(d: Draft) -> Text:
    """What the person reads before sending: warnings, the letter, what it carries, notes."""
    out = Text()
    if d.warnings:
        out.append("Before you send it:\n", style="bold")
        for warning in d.warnings:
            out.append("  ! ", style="bold")
            out.append(clean(warning, limit=600) + "\n")
        out.append("\n")
    out.append(clean(d.text(), keep_newlines=True, limit=20_000))
    out.append("\n")
    out.append(f"It carries only: {', '.join(d.fields)}.\n", style="italic")
    for note in d.notes:
        out.append(f"  - {clean(note, limit=600)}\n")
    if d.mailto:
        out.append("mailto: ", style="bold")
        out.append(clean(d.mailto, limit=4000) + "\n")
    else:
        out.append("No privacy email in our catalogue: copy the text (k) into the site's form.\n")
    out.rstrip()
    return out


def form_text(item: ChecklistItem) -> Text:
    """A request made on a site (DROP): the item's steps and its link, as inert text."""
    out = Text()
    out.append("Made on the site itself, not by letter:\n", style="bold")
    for n, step in enumerate(item.steps, start=1):
        out.append(f"{n:>2}. {clean(step, limit=600)}\n")
    if item.url:
        out.append("Link: ", style="bold")
        out.append(clean(item.url, limit=500) + "  (o opens it)\n")
    out.append("When you have sent it there, mark it sent below (Ctrl+S).")
    return out


class RequestScreen(ModalScreen[str | None]):
    """One draft: read, copy, mail, and mark sent."""

    DEFAULT_CSS = """
    RequestScreen { align: center middle; }
    RequestScreen > #request {
        width: 100; max-width: 98%; height: 95%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    RequestScreen #request-text { height: 1fr; border: round $primary-darken-2; }
    RequestScreen #request-sent { height: auto; }
    RequestScreen #request-sent > Label { padding: 0 1; }
    RequestScreen #request-via { width: 16; }
    RequestScreen #request-on { width: 14; }
    RequestScreen #request-message { height: auto; }
    RequestScreen #request-keys { height: auto; color: $text-muted; }
    """

    BINDINGS = [
        Binding("k", "copy", "Copy", id="request.copy"),
        Binding("o", "open_mail", "Open link", id="request.open"),
        Binding("ctrl+s", "mark_sent", "Save", id="request.sent", priority=True),
        Binding("escape", "back", "Back", id="request.back"),
    ]

    def __init__(
        self,
        profile: Profile,
        item: ChecklistItem,
        draft: Draft | None,
        today: date,
        *,
        opener: Opener = open_outside,
    ) -> None:
        """``draft`` None: a request made on a site's own form (DROP), nothing to copy."""
        super().__init__()
        self.profile = profile
        self.item = item
        self.draft = draft
        self.today = today
        self.opener = opener

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        d = self.draft
        if d is None:
            title, body, to_email = self.item.title, form_text(self.item), ""
        else:
            title = f"{d.kind.value.replace('-', ' ').capitalize()} to {d.to_name}"
            body, to_email = letter_text(d), d.to_email
        with Vertical(id="request"):
            yield Static(literal(title, limit=150, style="bold"), id="request-title")
            with VerticalScroll(id="request-text"):
                yield Static(body, id="request-letter", markup=False)
            with Horizontal(id="request-sent"):
                yield Label("Sent by")
                yield Select(
                    [(v.value, v) for v in Via],
                    value=Via.EMAIL if to_email else Via.FORM,
                    allow_blank=False,
                    id="request-via",
                    compact=True,
                )
                yield Label("on")
                yield Input(self.today.isoformat(), id="request-on", compact=True)
                yield Button("Mark sent (Ctrl+S)", id="request-mark", compact=True)
            yield Static("", id="request-message", markup=False)
            if d is None:
                keys = "o open the site · "
            else:
                keys = "k copy · " + ("o open in your mail program · " if d.mailto else "")
            yield Static(f"{keys}Ctrl+S mark sent · Esc back", id="request-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#request-text", VerticalScroll).focus()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.query_one("#request-message", Static).update(
            literal(text, limit=300, style="bold red" if error else "")
        )
        self.notify(text, title="Request", severity="error" if error else "information",
                    markup=False)  # fmt: skip

    def action_copy(self) -> None:
        if self.draft is None:
            self._say("Nothing to copy: this request is made on the site itself (o opens it).")
            return
        self.app.copy_to_clipboard(clean(self.draft.text(), keep_newlines=True))
        self._say("The letter is copied: paste it into your mail or the site's form.")

    def action_open_mail(self) -> None:
        if self.draft is None:
            if not self.opener(self.item.url):
                self._say("The site's page could not be opened.", error=True)
            return
        link = self.draft.mailto
        if not link:
            self._say("No privacy email in our catalogue for this site: copy the text (k).")
        elif not self.opener(link):
            self._say("No mail program could be opened: copy the text (k).", error=True)
        else:
            self._say("Opened in your mail program. When it is sent, Ctrl+S marks it.")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "request-mark":
            self.action_mark_sent()

    def action_mark_sent(self) -> None:
        via = self.query_one("#request-via", Select).value
        raw = self.query_one("#request-on", Input).value.strip()
        app = self.exposure
        try:
            on = parse_day(raw or None, self.today)
            item, record = record_sent(
                app.store,
                self.profile,
                self.item.id,
                via=Via(str(via)),
                on=on,
                today=self.today,
                kind=self.draft.kind if self.draft is not None else None,
                threshold=app.config.confidence_threshold,
            )
        except UsageError as exc:
            self._say(f"Not recorded: {exc}", error=True)
            return
        self.dismiss(sent_summary(item, record))

    def action_back(self) -> None:
        self.dismiss(None)
