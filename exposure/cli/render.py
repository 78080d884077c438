"""Plain-text rendering for the CLI: tables, progress line, CSV rows.

Everything scraped is passed through :func:`exposure.textsafe.clean` before it
reaches the terminal; CSV cells that a spreadsheet would run as a formula are
neutralised.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from exposure.model import Check, Coverage, CoverageState, Finding, Outcome, ScanSummary, iso
from exposure.textsafe import clean


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The width to fit output to: the terminal's, or None when ``stream`` is not a terminal.

    A file, a pipe or cron's mail gets whole lines: a URL cut short is useless.
    """
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size((120, 24)).columns


def table(rows: Sequence[Sequence[str]], header: Sequence[str], *, width: int | None = None) -> str:
    """Left-aligned columns; on a terminal the last column is cut to its width.

    ``width`` None means the terminal's width when stdout is a terminal, and no
    cutting at all otherwise.
    """
    width = width or terminal_width()
    cells = [[clean(c) for c in header]] + [[clean(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header) - 1)]
    lines = []
    for row in cells:
        head = "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=False))
        tail = row[-1]
        if width is not None:
            room = max(width - len(head) - 4, 20)
            tail = tail if len(tail) <= room else tail[: room - 1] + "…"
        lines.append(("  " + head + "  " + tail).rstrip())
    return "\n".join(lines)


def findings_table(
    findings: Iterable[Finding], *, why: Callable[[Finding], str] | None = None
) -> str:
    """One row per finding; ``why`` replaces the first reason (guardian mode speaks to a parent)."""
    rows = [
        (
            "NEW" if f.new else ("BACK" if f.status == "back" else ""),
            f"{f.confidence:.2f}",
            f.source,
            f.kind.value,
            f"{f.url}  {why(f) if why else (f.reasons[0] if f.reasons else '')}",
        )
        for f in findings
    ]
    return table(rows, ("", "CONF", "SOURCE", "KIND", "URL / WHY"))


def checks_table(checks: Iterable[Check]) -> str:
    rows = [(c.source, c.status.value, f"{c.detail}  {c.url}") for c in checks]
    return table(rows, ("SOURCE", "STATUS", "DETAIL / URL"))


def count_line(checks: Sequence[Check]) -> str:
    counts = {o: 0 for o in Outcome}
    for c in checks:
        counts[c.status] += 1
    parts = ", ".join(f"{n} {o.value}" for o, n in counts.items())
    return f"{len(checks)} checks: {parts}"


def scan_text(summary: ScanSummary, shown: Sequence[Finding], *, on_terminal: bool) -> str:
    """The readable summary of one scan."""
    out = [
        f"Scan {summary.scan_id} of {clean(summary.profile)} — {summary.state} "
        f"{iso(summary.finished_at) or ''}",
        "  " + count_line(summary.checks),
    ]
    if summary.coverage is not None:
        out.extend(
            coverage_lines(summary.coverage, summary.score, cancelled=summary.state != "finished")
        )
    new = sum(1 for f in shown if f.new)
    out.append("")
    if shown:
        out.append(f"Findings ({len(shown)}, {new} new):")
        out.append(findings_table(shown))
    else:
        out.append("No findings.")
    unsure = [c for c in summary.checks if c.status in (Outcome.BLOCKED, Outcome.ERROR)]
    title = "Blocked or failed — unknown, not absent; check these by hand"
    out += _checks_section(title, unsure, on_terminal)
    skipped = [c for c in summary.checks if c.status is Outcome.SKIPPED]
    out += _checks_section("Skipped — not asked, and why", skipped, on_terminal)
    return "\n".join(out)


def _checks_section(title: str, checks: list[Check], on_terminal: bool) -> list[str]:
    """A titled table of ``checks`` (none: no lines); on a terminal, the first 15 of them."""
    if not checks:
        return []
    limit = 15 if on_terminal else len(checks)
    out = ["", f"{title} ({len(checks)}):", checks_table(checks[:limit])]
    if len(checks) > limit:
        out.append(f"  … and {len(checks) - limit} more (use --format json for all)")
    return out


COVERAGE_WORDS = {
    CoverageState.CHECKED: "checked",
    CoverageState.PARTLY: "partly checked",
    CoverageState.FAILED: "could not check",
    CoverageState.SKIPPED: "skipped",
}


def score_text(score: float | None, coverage: Coverage | None) -> str:
    """``Exposure score 42.0 / 100 (0–100, higher = more exposed)``, or unknown and why."""
    from exposure.engine.score import score_words

    return f"Exposure score {score_words(score, coverage)}"


def coverage_lines(
    coverage: Coverage, score: float | None, *, cancelled: bool = False
) -> list[str]:
    """Coverage of the whole scan and of each checker, with the reason for anything not checked."""
    out = [
        f"  Coverage: {coverage.line()}" + ("" if coverage.sufficient else " — NOT an all-clear")
    ]
    out.append("  " + score_text(score, coverage))
    for c in coverage.checkers:
        state = COVERAGE_WORDS[c.state]
        if cancelled and c.state is CoverageState.SKIPPED and not c.why:
            state = "not reached (scan cancelled)"
        counts = f"{c.definite}/{c.attempted}" if c.attempted else "-"
        why = (
            f"  ({clean(c.why, limit=160)})"
            if c.why and c.state is not CoverageState.CHECKED
            else ""
        )
        out.append(f"    {clean(c.checker):<10} {counts:>9}  {state}{why}")
    return out


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = clean(label, limit=20)
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def update(self, done: int, counts: dict[Outcome, int], current: str) -> None:
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 24)).columns
        bar_len = 20
        filled = int(bar_len * done / self.total) if self.total else bar_len
        found = counts.get(Outcome.FOUND, 0)
        unsure = counts.get(Outcome.BLOCKED, 0) + counts.get(Outcome.ERROR, 0)
        line = (
            f"\r{self.label} [{'#' * filled}{'-' * (bar_len - filled)}] {done}/{self.total}"
            f"  found {found}  blocked/error {unsure}  {clean(current)}"
        )
        self.stream.write(line[: width - 1].ljust(width - 1))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            width = shutil.get_terminal_size((80, 24)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()


CSV_FIELDS = (
    "profile",
    "id",
    "checker",
    "source",
    "kind",
    "title",
    "url",
    "confidence",
    "status",
    "new",
    "first_seen",
    "last_seen",
    "sha256",
    "captured_at",
    "reasons",
)


def _cell(value: object) -> str:
    text = clean(value)
    # A cell starting like a formula would run in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def findings_csv(profile: str, findings: Iterable[Finding], *, header: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(CSV_FIELDS)
    for f in findings:
        ev = f.evidence
        writer.writerow(
            [
                _cell(v)
                for v in (
                    profile,
                    f.id,
                    f.checker,
                    f.source,
                    f.kind.value,
                    f.title,
                    f.url,
                    f"{f.confidence:.2f}",
                    f.status,
                    f.new,
                    iso(f.first_seen) or "",
                    iso(f.last_seen) or "",
                    ev.sha256 if ev else "",
                    iso(ev.captured_at) if ev else "",
                    " | ".join(f.reasons),
                )
            ]
        )
    return buf.getvalue()
