"""The scan screen: choose checkers, start, watch each one progress, see findings arrive.

The scan runs in a thread worker that opens its own Store (one SQLite
connection per thread), drives :func:`exposure.engine.profile_scan.scan_profile` with a cancel
event, and reports back with the small messages nested below. Escape sets the
event: workers stop taking tasks, what finished is kept, the scan is recorded
as interrupted. The UI thread never waits on the network.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from exposure.checkers.base import Checker, Registry
from exposure.engine import seen
from exposure.engine.scan import TaskFinished
from exposure.model import Finding, Outcome, Profile, ScanSummary
from exposure.tui.safe import literal
from exposure.tui.widgets import columns
from exposure.tui.widgets.checker_progress import CheckerProgress, ProgressList
from exposure.tui.widgets.footer import Footer
from exposure.tui.widgets.unchecked import coverage_text, unchecked_text

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp


SCAN_COLUMNS = {"confidence": 5, "kind": 13}
SETUP_WIDTH = 22  # the checkers pane (exposure.tcss #scan-setup)


def default_checkers(registry: Registry, disabled: Iterable[str]) -> list[str]:
    """The checkers ticked when the scan screen opens: a noisy one runs only when chosen."""
    off = set(disabled)
    return [cid for cid, cls in registry.checkers.items() if cid not in off and not cls.noisy]


class ScanScreen(Screen[None]):
    """Scan one profile with the checkers you tick."""

    BINDINGS = [
        Binding("s", "start", "Scan", id="scan.start"),
        Binding("escape", "cancel_or_back", "Back (or cancel)", id="scan.cancel"),
        Binding("f", "app.findings", "Findings", id="scan.findings"),
    ]

    @dataclass
    class Planned(Message):
        """The scan is about to start: tasks per checker, and checkers left out (why)."""

        totals: dict[str, int]
        left_out: dict[str, str]

    @dataclass
    class Progress(Message):
        """One task finished (its checks and stored findings)."""

        event: TaskFinished

    @dataclass
    class Finished(Message):
        """The scan ended: finished, or interrupted when cancelled."""

        summary: ScanSummary

    @dataclass
    class Failed(Message):
        """The scan could not run; ``reason`` is one line for the person."""

        reason: str

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.cancel_event: threading.Event | None = None
        self.running = False
        self.totals: Counter[Outcome] = Counter()
        self.shown: set[str] = set()
        self.verdicts: dict[str, str] = {}
        self._clearing: Awaitable[None] | None = None
        self.plan_seen = False  # the send plan was confirmed (asked before a first scan)

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        registry = self.exposure.registry
        disabled = set(self.exposure.config.disabled)
        ticked = set(default_checkers(registry, disabled))
        choices = [Selection(literal(cid), cid, cid in ticked) for cid in registry.checkers] + [
            Selection(literal(f"{cid} (cannot load)"), cid, False, disabled=True)
            for cid in registry.broken
        ]
        yield Header()
        with Horizontal(id="scan"):
            with Vertical(id="scan-setup"):
                yield Label("Checkers", classes="pane-title")
                yield SelectionList[str](*choices, id="checkers")
                yield Static(self._setup_note(), id="scan-note", markup=False)
            with Vertical(id="scan-live"):
                yield Static(id="scan-status", markup=False)
                yield ProgressList(id="progress")
                yield Static("", id="progress-more", markup=False)
                yield Label("Findings so far", classes="pane-title")
                yield DataTable(id="scan-findings", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def _setup_note(self) -> Text:
        text = Text("Tick the sources to ask, then press s.")
        sites = self.exposure.scan_options.sites_file
        if sites is not None:
            text.append("\nSites file: ")
            text.append(literal(sites.name))
        return text

    def on_mount(self) -> None:
        table = self.query_one("#scan-findings", DataTable)
        widths = SCAN_COLUMNS | self._flexible()
        table.add_column("Conf.", key="confidence", width=widths["confidence"])
        table.add_column("Source", key="source", width=widths["source"])
        table.add_column("Kind", key="kind", width=widths["kind"])
        table.add_column("What", key="title", width=widths["title"])
        self._status(Text.assemble("Ready to scan ", (self.profile.id, "bold"), "."))
        self.query_one("#checkers", SelectionList).focus()

    def _flexible(self) -> dict[str, int]:
        """Source and What share the findings pane's width (the screen's until laid out)."""
        live = self.query_one("#scan-live")
        width = live.size.width or max(self.app.size.width - SETUP_WIDTH, 40)
        return columns.flexible_widths(width, SCAN_COLUMNS)

    def on_resize(self) -> None:
        self.call_after_refresh(
            lambda: columns.apply_widths(
                self.query_one("#scan-findings", DataTable), self._flexible()
            )
        )

    def _status(self, text: Text | str) -> None:
        self.query_one("#scan-status", Static).update(text)

    # -- start / cancel ---------------------------------------------------------------

    def action_start(self) -> None:
        if self.running:
            self.notify("A scan is already running; escape cancels it.", title="Scan")
            return
        chosen = list(self.query_one("#checkers", SelectionList).selected)
        if not chosen:
            self.notify("Tick at least one checker.", title="Scan", severity="warning")
            return
        checkers = self.chosen_checkers()
        if not self.plan_seen and not self.exposure.store.scans(self.profile.id):
            self._confirm_plan(checkers)
            return
        self._begin(checkers)

    def chosen_checkers(self) -> list[Checker]:
        registry = self.exposure.registry
        chosen = self.query_one("#checkers", SelectionList).selected
        return [registry.checkers[cid]() for cid in chosen if cid in registry.checkers]

    def _confirm_plan(self, checkers: list[Checker]) -> None:
        """Before the first scan of a profile: what will be sent where, and a confirm."""
        from exposure.tui.screens.send_plan import SendPlanScreen

        app = self.exposure
        plan = app.send_plan(self.profile, checkers)
        if plan is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.plan_seen = True
                self._begin(checkers)

        app.push_screen(SendPlanScreen(plan, before_scan=True), answered)

    def _begin(self, checkers: list[Checker]) -> None:
        self.running = True
        self.totals.clear()
        self.shown.clear()
        self.verdicts = self.exposure.store.verdicts(self.profile.id)
        # removal finishes later: the Planned message waits for it (a rescan reuses ids)
        self._clearing = self.query_one("#progress", VerticalScroll).remove_children()
        self.query_one("#progress-more", Static).update("")
        self.query_one("#scan-findings", DataTable).clear()
        self._status(Text.assemble("Planning the scan of ", (self.profile.id, "bold"), "…"))
        self.cancel_event = threading.Event()
        self.scan_worker(self.profile, checkers, self.cancel_event)

    def action_cancel_or_back(self) -> None:
        if self.running and self.cancel_event is not None:
            self.cancel_event.set()
            self._status("Cancelling… what finished is kept.")
            return
        self.dismiss(None)

    def on_unmount(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()

    # -- the worker (runs in its own thread) --------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def scan_worker(
        self, profile: Profile, checkers: list[Checker], cancel: threading.Event
    ) -> None:
        from exposure.checkers.base import CheckerInputError
        from exposure.engine.locking import AlreadyScanning, scan_lock
        from exposure.engine.profile_scan import scan_profile
        from exposure.engine.scan import ScanFinished, ScanStarted
        from exposure.engine.store import Store, StoreError

        app = self.exposure
        where, config, options = app.where, app.config, app.scan_options
        try:
            with (
                scan_lock(where.locks_dir, profile.id),
                Store(where.database, where.evidence_dir) as store,
            ):
                events = scan_profile(
                    profile, checkers, store=store, config=config, options=options, cancel=cancel
                )
                for event in events:
                    if isinstance(event, ScanStarted):
                        self.post_message(self.Planned(event.totals, event.left_out))
                    elif isinstance(event, TaskFinished):
                        self.post_message(self.Progress(event))
                    elif isinstance(event, ScanFinished):
                        self.post_message(self.Finished(event.summary))
        except AlreadyScanning:
            self.post_message(self.Failed(f"{profile.id} is already being scanned elsewhere"))
        except (CheckerInputError, StoreError) as exc:
            self.post_message(self.Failed(str(exc)))
        except Exception as exc:  # the UI must say what happened, never freeze
            self.post_message(self.Failed(f"the scan failed: {type(exc).__name__}: {exc}"))

    # -- messages from the worker ---------------------------------------------------------

    async def on_scan_screen_planned(self, message: Planned) -> None:
        clearing, self._clearing = self._clearing, None
        if clearing is not None:
            await clearing
        box = self.query_one("#progress", VerticalScroll)
        for cid, total in message.totals.items():
            note = "" if total else "nothing to check: the profile has none of the fields it needs"
            box.mount(CheckerProgress(cid, total, note=note))
        for cid, why in message.left_out.items():
            box.mount(CheckerProgress(cid, 0, note=f"not run: {why}"))
        self.call_after_refresh(self.update_more)
        total = sum(message.totals.values())
        self._status(
            Text.assemble(
                "Scanning ", (self.profile.id, "bold"), f": {total} checks. Escape cancels."
            )
        )

    def on_scan_screen_progress(self, message: Progress) -> None:
        event = message.event
        for bar in self.query(CheckerProgress):
            if bar.checker_id == event.checker:
                bar.advance(event.source, event.checks)
        self.totals.update(c.status for c in event.checks)
        self._add_findings(event.findings)
        self._status(
            Text.assemble(
                "Scanning ",
                (self.profile.id, "bold"),
                f": {event.done}/{event.total}  ",
                self._count_text(),
                "  Escape cancels.",
            )
        )

    def _count_text(self) -> str:
        return " · ".join(
            f"{o.value} {self.totals[o]}" for o in (Outcome.FOUND, Outcome.BLOCKED, Outcome.ERROR)
        )

    def _add_findings(self, findings: tuple[Finding, ...]) -> None:
        table = self.query_one("#scan-findings", DataTable)
        threshold = self.exposure.config.confidence_threshold
        for f in findings:
            verdict = self.verdicts.get(f.id)
            if f.id in self.shown or not seen.shown(f, verdict, threshold):
                continue
            self.shown.add(f.id)
            title = f.title or f.url
            if verdict == seen.ME:
                title = f"✓ {title}"
            table.add_row(
                Text(f"{f.confidence:.2f}"),
                literal(f.source, limit=columns.SOURCE_LIMIT),
                Text(f.kind.value),
                literal(title, limit=80),
                key=f.id,
            )

    def on_scan_screen_finished(self, message: Finished) -> None:
        self.running = False
        summary = message.summary
        cancelled = summary.state != "finished"
        for bar in self.query(CheckerProgress):
            if not bar.note:  # a checker that got through all its checks is done, cancelled or not
                bar.finish("done" if bar.done >= bar.total else "cancelled")
        new = sum(
            1 for f in summary.findings if (f.new or f.status == "back") and f.id in self.shown
        )
        head = "Cancelled: what finished is kept. " if cancelled else "Finished. "
        text = Text(head)
        text.append(f"{len(summary.checks)} checks ({self._count_text()}); ")
        text.append(f"{len(self.shown)} findings, {new} new. f: findings.")
        covered = coverage_text(summary.coverage, summary.score)
        if covered:
            text.append("\n")
            text.append(covered)
        self._status(text)
        unchecked = unchecked_text(summary.checks)
        box = self.query_one("#progress", VerticalScroll)
        if unchecked:
            box.mount(Static(unchecked, id="scan-unchecked", markup=False))
        self.call_after_refresh(self.update_more)

    # -- the progress list: it scrolls, and says how much is below ------------------------

    def update_more(self) -> None:
        box = self.query_one("#progress", VerticalScroll)
        bottom = box.scroll_y + box.scrollable_content_region.height
        below = [
            w for w in box.children if w.virtual_region.y >= bottom and w.id != "scan-unchecked"
        ]
        rest = box.virtual_size.height - bottom
        note = ""
        if below:
            note = f"↓ {len(below)} more checker{'s' if len(below) != 1 else ''} below (scroll)"
        elif rest > 0:
            note = f"↓ {int(rest)} more line{'s' if rest != 1 else ''} below (scroll)"
        self.query_one("#progress-more", Static).update(note)

    def on_progress_list_moved(self, message: ProgressList.Moved) -> None:
        # Measured after the refresh: when the list grows, its rows' places are
        # laid out after the size that announced it.
        self.call_after_refresh(self.update_more)

    def on_scan_screen_failed(self, message: Failed) -> None:
        self.running = False
        self._status(literal(f"Not scanned: {message.reason}"))
        self.notify(message.reason, title="Scan", severity="error", markup=False)
