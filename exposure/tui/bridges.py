"""The TUI's calls into the checklist and the reports, and the dashboard's shared queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from exposure import reports
from exposure.engine import checklist, seen
from exposure.engine.score_story import ScoreStory, score_story
from exposure.engine.store import Store
from exposure.model import ChecklistItem, Coverage, Finding, Profile
from exposure.reports.evidence_pack import export_pack


def checklist_items(
    store: Store,
    profile: Profile,
    threshold: float,
    *,
    persist: bool = True,
    today: date | None = None,
) -> list[ChecklistItem]:
    """The profile's checklist, its requests' deadlines counted from ``today`` (the app's
    clock; the wall clock's date when not given)."""
    return list(
        checklist.checklist(store, profile, threshold=threshold, persist=persist, today=today)
    )


def mark_item(
    store: Store, profile: Profile, item_id: str, *, done: bool, threshold: float
) -> ChecklistItem:
    """Mark a checklist item done (or open again)."""
    return checklist.mark(store, profile, item_id, done=done, threshold=threshold)


REPORT_FORMATS = ("html", "md", "json", "csv")


def export(
    store: Store,
    profile: Profile,
    fmt: str,
    output: Path,
    threshold: float,
    *,
    allow_missing: bool = False,
) -> str:
    """Write the evidence pack (``fmt == "pack"``) or a report; returns a one-line summary.

    Raises UsageError for a bad output path, and MissingCaptures when captures
    are missing from the locker (unless ``allow_missing``: the pack is written
    without them and its manifest lists them).
    """
    if fmt == "pack":
        result = export_pack(store, profile.id, output, allow_missing=allow_missing)
        line = f"wrote {result.path}: {result.captures} captures, {result.files} files"
        if result.problems:
            line += f"; {len(result.problems)} problem(s): {result.problems[0]}"
        return line
    reports.check_output(output)
    data = reports.gather(store, profile, threshold=threshold)
    reports.write_report(output, reports.render(data, fmt))
    return f"wrote {output}"


@dataclass(frozen=True)
class ProfileSummary:
    """What the dashboard shows for one profile."""

    last_scan: datetime | None
    last_state: str
    scores: list[float]
    findings: int
    new_since_visit: int
    open_items: int | None  # None: checklist not available
    total_items: int | None
    coverage: Coverage | None = None  # the latest scan's (None: not recorded or no scan)
    latest_score: float | None = None  # the latest scan's score (None: unknown or none)
    story: ScoreStory | None = None  # what the score means and what moved it

    @property
    def score_unknown(self) -> bool:
        """The latest scan checked too little for a score: it is unknown, not 0."""
        return self.coverage is not None and self.latest_score is None


def is_new_since(finding: Finding, last_visit: datetime | None) -> bool:
    """Seen first (or seen back) after the person last looked (engine/seen.py's rule)."""
    return last_visit is None or seen.arrived_since(finding, last_visit)


def summarise(
    store: Store, profile: Profile, threshold: float, last_visit: datetime | None
) -> ProfileSummary:
    profile_id = profile.id
    scans = store.scans(profile_id)
    last = scans[-1] if scans else None
    found = store.findings(profile_id, min_confidence=threshold, include_gone=False)
    items = None
    try:
        items = checklist_items(store, profile, threshold, persist=False)
    except Exception:  # a broken checklist must not take the dashboard down
        items = None
    return ProfileSummary(
        last_scan=last.started_at if last else None,
        last_state=last.state if last else "",
        scores=[s.score for s in scans if s.score is not None],
        findings=len(found),
        new_since_visit=sum(is_new_since(f, last_visit) for f in found),
        open_items=None if items is None else sum(i.status in ("open", "relisted") for i in items),
        total_items=None if items is None else len(items),
        coverage=last.coverage if last else None,
        latest_score=last.score if last else None,
        story=score_story(store, profile_id, threshold, scans=scans, current=found),
    )
