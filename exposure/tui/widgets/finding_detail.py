"""Everything about one finding: what matched, why, and the evidence kept."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from exposure.engine.seen import ME, NOT_ME
from exposure.model import Finding, Severity, Whose
from exposure.tui.safe import literal, when

WHOSE_LABEL = {
    Whose.OWN: "one of your known accounts",
    Whose.UNKNOWN: "not known to be yours (an impostor?)",
}
VERDICT_LABEL = {ME: "confirmed: this is you", NOT_ME: "rejected: not you"}


def describe(finding: Finding, verdict: str | None, *, new: bool) -> Text:
    """The detail text; every value that came from outside is shown literally."""
    out = Text()

    def row(label: str, value: object) -> None:
        out.append(f"{label:<11}", style="bold")
        out.append(value if isinstance(value, Text) else literal(value))
        out.append("\n")

    out.append(literal(finding.title or finding.url, style="bold"))
    out.append("\n")
    row("URL", finding.url)
    row("Source", f"{finding.source} ({finding.checker}, {finding.kind.value})")
    state = finding.status + (", new since your last visit" if new else "")
    row("Status", state)
    row("Verdict", VERDICT_LABEL.get(verdict or "", "not decided (m: me, x: not me)"))
    row("Confidence", f"{finding.confidence:.2f}")
    if finding.severity is Severity.HIGH:
        row("Severity", "high")
    if finding.whose is not None:
        row("Whose", WHOSE_LABEL[finding.whose])
    if finding.exposes:
        row("Shows your", ", ".join(sorted(e.value.replace("_", " ") for e in finding.exposes)))
    row("Seen", f"first {when(finding.first_seen)}, last {when(finding.last_seen)}")
    out.append("Why\n", style="bold")
    for reason in finding.reasons or ["(no reason recorded)"]:
        out.append("  • ")
        out.append(literal(reason))
        out.append("\n")
    if finding.matched:
        out.append("Matched\n", style="bold")
        for key, value in finding.matched.items():
            out.append("  ")
            out.append(literal(key))
            out.append(": ")
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            out.append(literal(shown))
            out.append("\n")
    ev = finding.evidence
    if ev is None:
        row("Evidence", "none kept")
    else:
        row("Evidence", f"sha256 {ev.sha256}")
        row("Captured", when(ev.captured_at))
        if ev.final_url and ev.final_url != ev.url:
            row("Final URL", ev.final_url)
        row("File", ev.path)
    out.rstrip()
    return out


class FindingDetail(VerticalScroll):
    """A scrollable pane showing one finding (or a hint when none is selected)."""

    DEFAULT_CSS = """
    FindingDetail { height: 10; border-top: solid $primary; padding: 0 1; }
    FindingDetail > Static { width: 1fr; }
    """

    def compose(self):  # noqa: ANN201
        yield Static("Select a finding to see why it was reported.", markup=False)

    def show(
        self, finding: Finding | None, verdict: str | None = None, *, new: bool = False
    ) -> None:
        body = self.query_one(Static)
        if finding is None:
            body.update("Select a finding to see why it was reported.")
        else:
            body.update(describe(finding, verdict, new=new))
        self.scroll_home(animate=False)
