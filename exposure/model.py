"""Plain data classes shared by every part of exposure.

Nothing here does I/O. Checkers produce :class:`Check` and :class:`Finding`
objects; the store persists them; reports and the TUI read them back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any


def utcnow() -> datetime:
    """The current time, timezone-aware UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    """``2026-11-22T10:00:00Z`` for a UTC datetime (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Outcome(StrEnum):
    """What one check of one source concluded.

    ``blocked`` and ``error`` are never ``absent``: unknown is not absent.
    """

    FOUND = "found"
    ABSENT = "absent"
    BLOCKED = "blocked"
    ERROR = "error"
    SKIPPED = "skipped"


class FindingKind(StrEnum):
    ACCOUNT = "account"
    PERSON_RECORD = "person_record"
    # someone else's record that shows the person's own phone, email or address
    LINKED_RECORD = "linked_record"
    BREACH = "breach"
    PUBLIC_KEY = "public_key"
    PROFILE = "profile"
    SEARCH_RESULT = "search_result"
    PASSWORD = "password"


@dataclass
class Profile:
    """Who the person is. ``names[0]`` is the primary name, the rest aliases."""

    id: str
    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164
    usernames: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    birth_date: date | None = None
    accounts: list[str] = field(default_factory=list)  # URLs known to be the person's own
    guardian: str | None = None  # profile id of the guardian when this is a child

    @property
    def primary_name(self) -> str:
        return self.names[0] if self.names else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "names": list(self.names),
            "emails": list(self.emails),
            "phones": list(self.phones),
            "usernames": list(self.usernames),
            "locations": list(self.locations),
            "addresses": list(self.addresses),
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "accounts": list(self.accounts),
            "guardian": self.guardian,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        birth = data.get("birth_date")
        return cls(
            id=str(data["id"]),
            names=list(data.get("names") or []),
            emails=list(data.get("emails") or []),
            phones=list(data.get("phones") or []),
            usernames=list(data.get("usernames") or []),
            locations=list(data.get("locations") or []),
            addresses=list(data.get("addresses") or []),
            birth_date=date.fromisoformat(birth) if birth else None,
            accounts=list(data.get("accounts") or []),
            guardian=data.get("guardian"),
        )


@dataclass(frozen=True)
class Capture:
    """A page or API answer exactly as fetched, before it is stored as evidence."""

    body: bytes
    url: str
    final_url: str
    captured_at: datetime = field(default_factory=utcnow)
    content_type: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class Evidence:
    """A stored capture: content-addressed file plus its hash and time."""

    sha256: str
    captured_at: datetime
    url: str
    final_url: str
    path: str  # relative to the evidence folder

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "captured_at": iso(self.captured_at),
            "url": self.url,
            "final_url": self.final_url,
            "path": self.path,
        }


@dataclass
class Check:
    """One look at one source: what was asked, and what came back."""

    checker: str
    source: str
    status: Outcome
    url: str = ""
    detail: str = ""
    elapsed_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "checker": self.checker,
            "source": self.source,
            "status": self.status.value,
            "url": self.url,
            "detail": self.detail,
            "elapsed_ms": self.elapsed_ms,
        }


@dataclass
class Finding:
    """Something public that is (probably) about the person, and why we think so.

    ``key`` is what makes the finding the same thing across rescans (for an
    account: the site and the username); the stable ``id`` is derived from the
    profile, checker, source and key.
    """

    checker: str
    source: str
    kind: FindingKind
    key: str
    url: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    matched: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    capture: Capture | None = None
    # Filled in by the store:
    id: str = ""
    new: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    status: str = "open"  # open | gone | back
    evidence: Evidence | None = None

    def stable_id(self, profile_id: str) -> str:
        material = "\x1f".join((profile_id, self.checker, self.source, self.key))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "checker": self.checker,
            "source": self.source,
            "kind": self.kind.value,
            "title": self.title,
            "url": self.url,
            "confidence": round(self.confidence, 2),
            "reasons": list(self.reasons),
            "matched": dict(self.matched),
            "status": self.status,
            "new": self.new,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }


@dataclass
class ScanSummary:
    """A finished (or interrupted) scan, as the CLI reports it."""

    profile: str
    scan_id: int
    started_at: datetime
    finished_at: datetime | None
    state: str  # running | finished | interrupted | failed
    checks: list[Check] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "scan_id": self.scan_id,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "state": self.state,
            "checks": [c.to_dict() for c in self.checks],
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class ChecklistItem:
    """One thing to do: remove a record, report an impostor, change a password...

    ``priority`` 1 is the most urgent. ``status`` is open | done | verified |
    relisted (see exposure/checklist.py for the cycle across rescans).
    """

    id: str
    title: str
    priority: int
    status: str = "open"
    finding_ids: list[str] = field(default_factory=list)
    url: str = ""
    steps: list[str] = field(default_factory=list)
    # broker | account | impostor | breach | password | source | baseline | guardian
    category: str = ""
    changed_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "finding_ids": list(self.finding_ids),
            "url": self.url,
            "steps": list(self.steps),
            "category": self.category,
            "changed_at": iso(self.changed_at),
        }
