"""Checks and findings: what checkers produce, and the typed facts the engine reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

import msgspec

from exposure.model.clock import iso
from exposure.model.evidence import Capture, Evidence
from exposure.model.remedies import AskToRemove, BrokerOptOut, Remedy


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


class Exposes(StrEnum):
    """What of the person a finding shows (weighted by the score, in the harm order)."""

    HOME_ADDRESS = "home_address"
    PHONE = "phone"
    EMAIL = "email"
    RELATIVES = "relatives"
    AGE = "age"
    USERNAME = "username"


class Whose(StrEnum):
    """Whose an account is, as far as the checker knows."""

    OWN = "own"  # one of the accounts the profile lists as the person's own
    UNKNOWN = "unknown"  # under their username or email, not known as theirs: an impostor?


class Severity(StrEnum):
    NORMAL = "normal"
    HIGH = "high"  # e.g. a child's name next to their school or town


class ChildNotes(msgspec.Struct, frozen=True):
    """What guardian mode noticed about a child's finding."""

    school: str = ""
    town: str = ""
    child_platform: bool = False


@dataclass
class Check:
    """One look at one source: what was asked, and what came back."""

    checker: str
    source: str
    status: Outcome
    url: str = ""
    detail: str = ""
    elapsed_ms: int = 0
    # A people-search site: how to opt out of it (its checks get their own
    # "check by hand" item, with this link).
    opt_out: BrokerOptOut | None = None

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
    # What matched, for people to read (shown as it is; the engine never reads it):
    matched: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    capture: Capture | None = None
    # Other pages read for this finding (a record's detail page): kept as evidence too.
    related: tuple[Capture, ...] = ()
    # What the engine reads (score, checklist, guardian, TUI):
    exposes: frozenset[Exposes] = frozenset()
    whose: Whose | None = None  # None: not a claim about an account
    severity: Severity = Severity.NORMAL
    remedy: Remedy | None = None  # None: ask the source (see ``remedy_or_default``)
    child: ChildNotes | None = None
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
            "matched": self.compat_matched(),
            "exposes": sorted(self.exposes),
            "whose": self.whose.value if self.whose else None,
            "severity": self.severity.value,
            "remedy": msgspec.to_builtins(self.remedy) if self.remedy else None,
            "status": self.status,
            "new": self.new,
            "first_seen": iso(self.first_seen),
            "last_seen": iso(self.last_seen),
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }

    def remedy_or_default(self) -> Remedy:
        """The finding's remedy. Without one: a record on a people-search site is
        an opt-out whose steps we don't know (``method`` empty); anything else
        is asking its source to remove it."""
        if self.remedy is not None:
            return self.remedy
        if self.kind in (FindingKind.PERSON_RECORD, FindingKind.LINKED_RECORD):
            return BrokerOptOut(broker_id=self.source, broker_name=self.source, method="")
        return AskToRemove(where=self.source)

    def compat_matched(self) -> dict[str, Any]:
        """``matched`` with the keys the JSON contract had before the typed fields.

        Kept so scripts reading ``matched["own"]``, ``matched["opt_out"]``...
        keep working; the engine reads the typed fields, never these.
        """
        out = dict(self.matched)
        if self.whose is not None:
            out.setdefault("own", self.whose is Whose.OWN)
        if isinstance(self.remedy, BrokerOptOut):
            r = self.remedy
            out.setdefault("broker_id", r.broker_id)
            out.setdefault("broker_name", r.broker_name)
            opt_out = msgspec.to_builtins(r)
            for k in ("type", "broker_id", "broker_name"):
                opt_out.pop(k, None)
            if not r.method:  # the steps are not known
                opt_out = {"url": r.url, "method": None, "relists": r.relists}
            out.setdefault("opt_out", opt_out)
            out.setdefault("exposes", sorted(self.exposes))
        if self.severity is Severity.HIGH:
            out.setdefault("severity", self.severity.value)
        if self.child is not None:
            if self.child.school:
                out.setdefault("school", self.child.school)
            if self.child.town:
                out.setdefault("town", self.child.town)
            if self.child.child_platform:
                out.setdefault("child_platform", True)
        return out


class FindingFacts(msgspec.Struct, frozen=True):
    """The typed part of a finding as the store keeps it (one JSON column)."""

    exposes: frozenset[Exposes] = frozenset()
    whose: Whose | None = None
    severity: Severity = Severity.NORMAL
    remedy: Remedy | None = None
    child: ChildNotes | None = None

    @classmethod
    def of(cls, f: Finding) -> FindingFacts:
        return cls(f.exposes, f.whose, f.severity, f.remedy, f.child)
