"""Reports and the evidence pack, built from the store (no network).

:func:`gather` collects what every report format shows — the profile, the
exposure score and its trend, the findings grouped by kind, the checklist —
into one :class:`ReportData`; ``html``, ``markdown`` and :func:`render`
turn it into a file. Everything in it that came from the web is hostile:
each renderer escapes it for its format, and only http(s) links are ever
made clickable (:func:`safe_url`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from exposure.errors import UsageError
from exposure.model import (
    ChecklistItem,
    Coverage,
    Finding,
    FindingKind,
    Profile,
    ScanSummary,
    iso,
    utcnow,
)
from exposure.textsafe import clean, json_text
from exposure.urls import is_web_url

if TYPE_CHECKING:
    from exposure.engine.score_story import ScoreStory
    from exposure.engine.store import Store

FORMATS = ("html", "md", "json", "csv")
KIND_TITLES = {
    FindingKind.PERSON_RECORD: "People-search records",
    FindingKind.LINKED_RECORD: "Records showing your phone, email or address",
    FindingKind.ACCOUNT: "Accounts",
    FindingKind.BREACH: "Breaches",
    FindingKind.PASSWORD: "Passwords",
    FindingKind.PUBLIC_KEY: "Public keys",
    FindingKind.PROFILE: "Public profiles",
    FindingKind.SEARCH_RESULT: "Search results",
}


@dataclass
class ReportData:
    profile: Profile
    generated_at: datetime
    scores: list[tuple[int, datetime, float]]  # (scan id, started at, score), oldest first
    findings: list[Finding]
    checklist: list[ChecklistItem]
    threshold: float = 0.0
    unknown: list[str] = field(default_factory=list)  # sources we could not read
    latest: ScanSummary | None = None  # the latest scan, with its coverage
    story: ScoreStory | None = None  # what moved the score, what saturation hides

    @property
    def score(self) -> float | None:
        """The latest scan's score; None when it is unknown (too little checked) or none yet."""
        if self.latest is not None and self.latest.coverage is not None:
            return self.latest.score
        return self.scores[-1][2] if self.scores else None

    @property
    def coverage(self) -> Coverage | None:
        return self.latest.coverage if self.latest is not None else None

    def score_line(self) -> str:
        """What every format says about the score: its value and meaning, or unknown and why."""
        from exposure.engine.score import score_words

        return score_words(self.score, self.coverage)

    def score_story_lines(self) -> list[str]:
        """The score's change (and what removals did), and what lies under a saturated one."""
        if self.story is None or self.score is None:
            return []
        return [line for line in (self.story.change_line(), self.story.underneath_line()) if line]

    def coverage_line(self) -> str:
        """``Latest scan: checked 300 of 338 checks (89%)`` (or that there is no scan yet)."""
        if self.latest is None:
            return "No scan yet."
        if self.coverage is None:
            return f"Latest scan {self.latest.scan_id}: coverage not recorded."
        text = f"Latest scan {self.latest.scan_id}: {self.coverage.line()}"
        return text if self.coverage.sufficient else f"{text} — not an all-clear"

    def by_kind(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by kind in a fixed order, empty groups left out."""
        out = []
        for kind, title in KIND_TITLES.items():
            group = [f for f in self.findings if f.kind is kind]
            if group:
                out.append((title, group))
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile.id,
            "generated_at": iso(self.generated_at),
            "score": self.score,
            "score_known": self.score is not None,
            "score_text": self.score_line(),
            "score_story": self.score_story_lines(),
            "coverage": self.coverage.to_dict() if self.coverage else None,
            "scores": [{"scan_id": s, "at": iso(at), "score": v} for s, at, v in self.scores],
            "findings": [f.to_dict() for f in self.findings],
            "checklist": [i.to_dict() for i in self.checklist],
            "unknown_sources": list(self.unknown),
        }


def safe_url(url: object) -> str | None:
    """``url`` when it is a plain http(s) URL, else None (never a ``javascript:`` link)."""
    text = str(url or "").strip()
    if not text or clean(text) != text or any(c in text for c in "\"'<>` \\"):
        return None
    return text if is_web_url(text) else None


def gather(store: Store, profile: Profile, *, threshold: float = 0.0) -> ReportData:
    """Read everything a report shows; updates checklist transitions like a checklist read."""
    from exposure.engine.checklist import checklist, latest_checks
    from exposure.engine.score_story import score_story
    from exposure.model import Outcome

    findings = store.findings(profile.id, min_confidence=threshold, include_gone=True)
    unknown = [
        f"{c.checker}/{c.source}: {c.status.value} {c.detail}".strip()
        for c in latest_checks(store, profile.id)
        if c.status in (Outcome.BLOCKED, Outcome.ERROR)
    ]
    scans = store.scans(profile.id)
    return ReportData(
        latest=scans[-1] if scans else None,
        profile=profile,
        generated_at=utcnow(),
        scores=store.scores(profile.id),
        findings=findings,
        checklist=checklist(store, profile, threshold=threshold),
        threshold=threshold,
        unknown=unknown,
        story=score_story(store, profile.id, threshold),
    )


def render(data: ReportData, fmt: str) -> str:
    if fmt == "html":
        from exposure.reports.html import render_html

        return render_html(data)
    if fmt == "md":
        from exposure.reports.markdown import render_markdown

        return render_markdown(data)
    if fmt == "json":
        return json_text(data.to_dict(), indent=2) + "\n"
    if fmt == "csv":
        from exposure.cli.render import findings_csv

        return findings_csv(data.profile.id, data.findings)
    raise UsageError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


def check_output(path: Path) -> Path:
    """Refuse an output path whose folder is missing (exit 2), or that is a folder."""
    folder = path.expanduser().parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    return path.expanduser()


def write_private_file(path: Path, data: bytes | str) -> None:
    """Write ``path`` 0600, atomically, WITHOUT touching its folder's mode.

    (:func:`exposure.paths.write_private` makes the folder 0700, which is right
    for our own folders and wrong for a Documents folder the person chose.)
    """
    from exposure.paths import write_file_0600

    target = check_output(path)
    try:
        write_file_0600(target, data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_report(path: Path, text: str) -> None:
    """Write a report file 0600 (it holds personal data)."""
    write_private_file(path, text)
