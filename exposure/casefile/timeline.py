"""What a case file shows, read from the store: the cover facts and the timeline.

:func:`gather` reads the profile's incidents, findings (each with its latest
capture and screenshot), checklist, the removal requests sent
(exposure/engine/request_log.py) and the guardian when the profile is a
child's, into one :class:`CaseData`. The timeline puts incidents (by when
they happened) and findings (by when they were first captured) in one date
order, in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from exposure.casefile.incidents import Incident, incidents
from exposure.model import ChecklistItem, Finding, Profile, utcnow
from exposure.reports.screenshot import CaptureRef, Screenshot, capture_refs, screenshots

if TYPE_CHECKING:
    from exposure.engine.request_log import RequestRecord
    from exposure.engine.store import Store

DONE = ("done", "verified")


@dataclass(frozen=True)
class FindingEntry:
    finding: Finding
    capture: CaptureRef | None  # the latest capture of it
    screenshot: Screenshot | None

    @property
    def moment(self) -> datetime:
        if self.finding.evidence is not None:
            return self.finding.evidence.captured_at.astimezone(UTC)
        return (self.finding.first_seen or utcnow()).astimezone(UTC)


@dataclass(frozen=True)
class IncidentEntry:
    incident: Incident

    @property
    def moment(self) -> datetime:
        return self.incident.happened_utc


Entry = FindingEntry | IncidentEntry


@dataclass
class CaseData:
    profile: Profile
    generated_at: datetime
    incidents: list[Incident]
    findings: list[FindingEntry]
    checklist: list[ChecklistItem]
    guardian: Profile | None = None
    coming_of_age: str | None = None
    captures: list[CaptureRef] = field(default_factory=list)  # every capture of the profile
    shots: dict[int, Screenshot] = field(default_factory=dict)
    sent: list[RequestRecord] = field(default_factory=list)  # removal requests sent, oldest first

    def timeline(self) -> list[Entry]:
        entries: list[Entry] = [IncidentEntry(i) for i in self.incidents]
        entries += self.findings
        return sorted(entries, key=lambda e: (e.moment, isinstance(e, FindingEntry)))

    @property
    def done(self) -> list[ChecklistItem]:
        return [i for i in self.checklist if i.status in DONE]

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((i for i in self.checklist if i.id == item_id), None)


def gather(
    store: Store, profile: Profile, *, threshold: float, guardian: Profile | None = None
) -> CaseData:
    from exposure.engine.guardian import coming_of_age_note
    from exposure.engine.request_log import RequestLog
    from exposure.reports import gather as report_gather

    report = report_gather(store, profile, threshold=threshold)
    refs = capture_refs(store, profile.id)
    shots = screenshots(store, profile.id)
    latest: dict[str, CaptureRef] = {}
    for ref in refs:  # oldest first: the last one wins
        latest[ref.finding_id] = ref
    entries = []
    for f in report.findings:
        last = latest.get(f.id)
        entries.append(FindingEntry(f, last, shots.get(last.capture_id) if last else None))
    return CaseData(
        profile=profile,
        generated_at=utcnow(),
        incidents=incidents(store, profile.id),
        findings=entries,
        checklist=report.checklist,
        guardian=guardian,
        coming_of_age=coming_of_age_note(profile) if profile.guardian else None,
        captures=refs,
        shots=shots,
        sent=[r for r in RequestLog(store).records(profile.id) if r.sent_on is not None],
    )
