"""The dashboard: every profile (children under their guardian) and how each is doing."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from exposure.engine.score import MEANING, score_words
from exposure.model import Profile
from exposure.tui.bridges import ProfileSummary, summarise
from exposure.tui.safe import literal, when
from exposure.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from exposure.tui.app import ExposureApp

TREND_LABEL = "Score by scan (higher = more exposed)"


def grouped(profiles: list[Profile]) -> list[tuple[Profile, int]]:
    """Profiles in display order with their depth: guardians, each followed by their children."""
    ids = {p.id for p in profiles}
    children: dict[str, list[Profile]] = {}
    top: list[Profile] = []
    for p in profiles:
        if p.guardian and p.guardian in ids and p.guardian != p.id:
            children.setdefault(p.guardian, []).append(p)
        else:
            top.append(p)
    out: list[tuple[Profile, int]] = []
    for p in top:
        out.append((p, 0))
        out.extend((child, 1) for child in children.get(p.id, []))
    return out


class DashboardScreen(Screen[None]):
    """Start here: pick a profile, then scan it, read its findings or work its checklist."""

    BINDINGS = [
        Binding("n", "app.new_profile", "New", id="dashboard.new_profile"),
        Binding("e", "app.edit_profile", "Edit", id="dashboard.edit_profile"),
        Binding("delete", "app.delete_profile", "Delete", id="dashboard.delete_profile"),
        Binding("s", "app.scan", "Scan", id="dashboard.scan"),
        Binding("f", "app.findings", "Findings", id="dashboard.findings"),
        Binding("c", "app.checklist", "Checklist", id="dashboard.checklist"),
        Binding("r", "app.export", "Export", id="dashboard.export"),
    ]

    @property
    def exposure(self) -> ExposureApp:
        return cast("ExposureApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dashboard"):
            with Vertical(id="profiles-pane"):
                yield Label("Profiles", classes="pane-title")
                yield OptionList(id="profiles")
            with VerticalScroll(id="summary"):
                yield Static(id="summary-title", markup=False)
                yield Static(id="summary-stats", markup=False)
                yield Label(TREND_LABEL, id="trend-label")
                yield Sparkline([], id="trend")
                yield Static(id="summary-hint", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_profiles()

    def on_screen_resume(self) -> None:
        self.refresh_profiles()

    def refresh_profiles(self) -> None:
        profiles, broken = self.exposure.load_profiles()
        options = self.query_one("#profiles", OptionList)
        options.clear_options()
        rows = grouped(profiles)
        for profile, depth in rows:
            prompt = Text()
            prompt.append("  └ " if depth else "")
            prompt.append(profile.id, style="bold")
            if profile.primary_name:
                prompt.append("  ")
                prompt.append(literal(profile.primary_name, limit=24))
            options.add_option(Option(prompt, id=profile.id))
        for pid, problem in broken.items():
            options.add_option(Option(literal(f"{pid} (unreadable)"), id=pid, disabled=True))
            self.notify(problem, title="Profile file", severity="error", markup=False)
        if not rows:
            self.show_summary(None)
            return
        ids = [p.id for p, _ in rows]
        wanted = self.exposure.profile_id if self.exposure.profile_id in ids else ids[0]
        options.highlighted = ids.index(wanted)
        self.exposure.profile_id = wanted
        self.show_summary(next(p for p, _ in rows if p.id == wanted))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        pid = event.option.id
        if pid is None or not self.exposure.profiles.exists(pid):
            return
        self.exposure.profile_id = pid
        self.show_summary(self.exposure.current_profile())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.exposure.action_findings()

    def show_summary(self, profile: Profile | None) -> None:
        title = self.query_one("#summary-title", Static)
        stats = self.query_one("#summary-stats", Static)
        hint = self.query_one("#summary-hint", Static)
        trend = self.query_one("#trend", Sparkline)
        if profile is None:
            title.update(Text("No profiles yet", style="bold"))
            stats.update(
                "Press n to describe yourself (or a child in your care): names, emails, "
                "usernames, places. Then s scans public sources for them."
            )
            trend.data = []
            hint.update("")
            return
        app = self.exposure
        summary = summarise(
            app.store, profile, app.config.confidence_threshold, app.visits.last(profile.id)
        )
        heading = Text()
        heading.append(profile.id, style="bold")
        if profile.primary_name:
            heading.append(" — ")
            heading.append(literal(profile.primary_name))
        title.update(heading)
        stats.update(self._stats(profile, summary))
        trend.data = summary.scores or []
        label = TREND_LABEL
        if summary.scores:
            label += ": " + " → ".join(f"{s:.0f}" for s in summary.scores[-6:])
        self.query_one("#trend-label", Label).update(label)
        if summary.last_scan is None:
            hint.update("Not scanned yet: press s to scan.")
        else:
            hint.update("s scan again · f findings · c checklist · r export")

    def _stats(self, profile: Profile, summary: ProfileSummary) -> Text:
        lines = Text()

        def row(label: str, value: Text | str) -> None:
            lines.append(f"{label:<12}", style="bold")
            lines.append(value)
            lines.append("\n")

        scanned = when(summary.last_scan)
        if summary.last_state and summary.last_state != "finished":
            scanned += f" ({summary.last_state})"
        row("Last scan", scanned)
        if summary.coverage is not None:
            checked = summary.coverage.line()
            if not summary.coverage.sufficient:
                checked += " — not an all-clear"
            row("Coverage", checked)
        if summary.score_unknown:
            row("Score", score_words(None, summary.coverage))
        elif summary.story is not None and summary.story.score is not None:
            story = summary.story
            # score_words' wording with a whole number: the pane is narrow at 80 columns.
            row("Score", f"{story.score:.0f} / 100 ({MEANING})")
            if story.change_line():
                row("", literal(story.change_line()))
            if story.underneath_line():
                row("Underneath", literal(story.underneath_line()))
        else:
            row("Score", "no score yet")
        row("Findings", f"{summary.findings} ({summary.new_since_visit} new since your last visit)")
        if summary.open_items is None:
            row("Checklist", "not available")
        else:
            row("Checklist", f"{summary.open_items} open of {summary.total_items}")
        if profile.guardian:
            row("Guardian", literal(profile.guardian))
        wards = self.exposure.profiles.wards(profile.id)
        if wards:
            row("Children", literal(", ".join(wards)))
        lines.rstrip()
        return lines
