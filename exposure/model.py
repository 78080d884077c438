"""Plain data classes shared by every part of exposure.

Nothing here does I/O. Checkers produce :class:`Check` and :class:`Finding`
objects; the store persists them; reports and the TUI read them back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import msgspec


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


class BrokerOptOut(msgspec.Struct, frozen=True, tag="opt_out"):
    """Remedy for a people-search listing: ask the broker to remove it, this way.

    The facts are those of the catalogue the scan used, so the checklist can
    give the steps even when the scan used a one-off ``--brokers`` file.
    """

    broker_id: str
    broker_name: str
    url: str = ""  # the opt-out page (or the site when it has none)
    method: str = "web-form"  # empty: the steps are not known
    requires: tuple[str, ...] = ()
    days: int | None = None
    notes: str = ""
    email: str = ""
    relists: bool = False


class AccountAction(msgspec.Struct, frozen=True, tag="account"):
    """Remedy for an account: delete or lock down one's own, report an impostor's."""

    site: str
    username: str = ""
    category: str = ""  # the site catalogue's category (gaming, social...)
    variant: bool = False  # the username was made from the person's names (scan --variants)


class ChangePassword(msgspec.Struct, frozen=True, tag="breach"):
    """Remedy for a breach: change that password and where it was reused."""

    breach: str
    title: str = ""
    date: str = ""
    domain: str = ""
    email: str = ""
    data_classes: tuple[str, ...] = ()

    @property
    def leaked_passwords(self) -> bool:
        return any("password" in c.lower() for c in self.data_classes)


class ReplacePassword(msgspec.Struct, frozen=True, tag="password"):
    """Remedy for a password seen in breach lists (``breached``) or a weak one.

    ``seen`` is how often, as stored: exact below 100, else "at least 10,000".
    """

    breached: bool = False
    seen: str = ""


class AskToRemove(msgspec.Struct, frozen=True, tag="source"):
    """Remedy for details on another source: ask it (or change them there).

    ``advice`` names the text in advice.toml's ``[source]`` table that says
    what the source is (``search_result``, ``public_key``, ``profile``,
    ``rdap``...); empty means "by the finding's kind".
    """

    where: str
    advice: str = ""


Remedy = BrokerOptOut | AccountAction | ChangePassword | ReplacePassword | AskToRemove


class ChildNotes(msgspec.Struct, frozen=True):
    """What guardian mode noticed about a child's finding."""

    school: str = ""
    town: str = ""
    child_platform: bool = False


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
    # Relatives the person names: people-search pages list relatives, and a
    # record naming one of them is strong evidence it is hers.
    relatives: list[str] = field(default_factory=list)
    guardian: str | None = None  # profile id of the guardian when this is a child
    # An address-confidentiality program the person is enrolled in (an id from
    # data/requests.toml's [[address_program]], e.g. "ca-safe-at-home").
    address_program: str | None = None

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
            "relatives": list(self.relatives),
            "guardian": self.guardian,
            "address_program": self.address_program,
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
            relatives=list(data.get("relatives") or []),
            guardian=data.get("guardian"),
            address_program=data.get("address_program") or None,
        )


class CaptureMethod(StrEnum):
    """How a capture was obtained; reports and the evidence pack say it."""

    FETCHED = "fetched"  # the HTTP client's answer, as it came
    RENDERED = "rendered by browser"  # the DOM after the page's JavaScript ran
    SAVED = "saved by you"  # a page the person saved from their own browser and imported
    ASSISTED = "read in a browser window with you"  # assisted mode: the person solved its check


@dataclass(frozen=True)
class Capture:
    """A page or API answer exactly as fetched, before it is stored as evidence."""

    body: bytes
    url: str
    final_url: str
    captured_at: datetime = field(default_factory=utcnow)
    content_type: str = ""
    method: CaptureMethod = CaptureMethod.FETCHED

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
    method: CaptureMethod = CaptureMethod.FETCHED

    def to_dict(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "captured_at": iso(self.captured_at),
            "url": self.url,
            "final_url": self.final_url,
            "path": self.path,
            "method": self.method.value,
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


@dataclass
class ScanSummary:
    """A finished (or interrupted) scan, as the CLI reports it."""

    profile: str
    scan_id: int
    started_at: datetime
    finished_at: datetime | None
    state: str  # running | finished | interrupted | failed | by hand (engine/hand_check.py)
    checks: list[Check] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    coverage: Coverage | None = None  # None: not recorded (a scan from before coverage)
    score: float | None = None  # None: unknown (too little checked) or not computed

    def to_dict(self) -> dict[str, Any]:
        coverage = self.coverage
        return {
            "profile": self.profile,
            "scan_id": self.scan_id,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "state": self.state,
            "coverage": coverage.to_dict() if coverage else None,
            "score": {
                "value": self.score,
                "known": self.score is not None,
                "reason": coverage.reason() if coverage else "",
            },
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
    # drop | network | broker | account | impostor | breach | password | source | baseline
    # | guardian | check
    category: str = ""
    changed_at: datetime | None = None
    # The removal request that carries this item (exposure.engine.requests), if any.
    request: RequestStatus | None = None
    # Other items whose one request also clears this one: a network's parent
    # (the item is grouped under it), California's DROP (exposure/engine/removal_order.py).
    covered_by: list[str] = field(default_factory=list)

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
            "request": self.request.to_dict() if self.request else None,
            "covered_by": list(self.covered_by),
        }


class RequestState(StrEnum):
    """Where a removal request stands (see exposure/engine/requests.py)."""

    NONE = "none"  # nothing drafted or sent yet
    DRAFTED = "drafted"
    SENT = "sent"  # waiting for the answer, within the deadline
    OVERDUE = "overdue"  # the deadline passed and the listing is still seen
    VERIFIED = "verified"  # a rescan no longer sees it
    RELISTED = "relisted"  # it came back after a request: a new round


class RequestKind(StrEnum):
    REQUEST = "request"  # the deletion or opt-out request
    ADDRESS_DEMAND = "address-demand"  # an address-confidentiality demand
    REMINDER = "reminder"
    COMPLAINT = "complaint"  # to the regulator


@dataclass(frozen=True)
class RequestStatus:
    """A checklist item's request: its state, dates, and the next step."""

    state: RequestState
    jurisdiction: str
    law: str = ""
    sent_on: date | None = None
    via: str = ""
    due: date | None = None  # None: no legal deadline
    extended_due: date | None = None
    follow_up: date | None = None
    days_left: int | None = None
    next_step: RequestKind | None = None
    history: tuple[tuple[str, date | None, str], ...] = ()  # (kind, sent on, via)

    def to_dict(self) -> dict[str, Any]:
        def day(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "state": self.state.value,
            "jurisdiction": self.jurisdiction,
            "law": self.law,
            "sent_on": day(self.sent_on),
            "via": self.via,
            "due": day(self.due),
            "extended_due": day(self.extended_due),
            "follow_up": day(self.follow_up),
            "days_left": self.days_left,
            "next_step": self.next_step.value if self.next_step else None,
            "history": [{"kind": k, "sent_on": day(d), "via": v} for k, d, v in self.history],
        }


class CoverageState(StrEnum):
    """How much of one checker's work got a definite answer in one scan."""

    CHECKED = "checked"  # every check it made got a definite answer
    PARTLY = "partly"  # some did, some were blocked or failed
    FAILED = "failed"  # it tried, and not one check got an answer
    SKIPPED = "skipped"  # it did not try (no key, no engine, a private field...)


DEFINITE = (Outcome.FOUND, Outcome.ABSENT)
UNSURE = (Outcome.BLOCKED, Outcome.ERROR)


@dataclass(frozen=True)
class CheckerCoverage:
    """One checker's share of a scan: what it asked, and how much was answered.

    ``attempted`` counts every check that asked a source (found, absent,
    blocked, error); ``skipped`` checks asked nothing and are not attempts.
    ``reasons`` are the distinct details of skipped, blocked and failed checks,
    most common first; ``left_out`` says why the checker did not run at all.
    """

    checker: str
    found: int = 0
    absent: int = 0
    blocked: int = 0
    error: int = 0
    skipped: int = 0
    reasons: tuple[str, ...] = ()
    left_out: str = ""

    @property
    def definite(self) -> int:
        return self.found + self.absent

    @property
    def attempted(self) -> int:
        return self.definite + self.blocked + self.error

    @property
    def ratio(self) -> float | None:
        return self.definite / self.attempted if self.attempted else None

    @property
    def state(self) -> CoverageState:
        if not self.attempted:
            return CoverageState.SKIPPED
        if not self.definite:
            return CoverageState.FAILED
        if self.definite < self.attempted:
            return CoverageState.PARTLY
        return CoverageState.CHECKED

    @property
    def why(self) -> str:
        """Why this checker did not (fully) check: the first reason, or ''."""
        return self.left_out or (self.reasons[0] if self.reasons else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "checker": self.checker,
            "state": self.state.value,
            "checked": self.definite,
            "attempted": self.attempted,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "found": self.found,
            "absent": self.absent,
            "blocked": self.blocked,
            "error": self.error,
            "skipped": self.skipped,
            "reasons": list(self.reasons),
            "left_out": self.left_out,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckerCoverage:
        return cls(
            checker=str(data["checker"]),
            found=int(data.get("found", 0)),
            absent=int(data.get("absent", 0)),
            blocked=int(data.get("blocked", 0)),
            error=int(data.get("error", 0)),
            skipped=int(data.get("skipped", 0)),
            reasons=tuple(str(r) for r in data.get("reasons") or ()),
            left_out=str(data.get("left_out") or ""),
        )


MAX_REASONS = 3  # distinct reasons kept per checker


@dataclass(frozen=True)
class Coverage:
    """A scan's coverage: the checks that got a definite answer out of those attempted.

    A score, a "nothing new" or an all-clear only means something over what
    was checked; below ``min_coverage`` (config, default 0.5) it is unknown.
    """

    checkers: tuple[CheckerCoverage, ...] = ()
    min_coverage: float = 0.5

    @property
    def definite(self) -> int:
        return sum(c.definite for c in self.checkers)

    @property
    def attempted(self) -> int:
        return sum(c.attempted for c in self.checkers)

    @property
    def ratio(self) -> float | None:
        return self.definite / self.attempted if self.attempted else None

    @property
    def sufficient(self) -> bool:
        """Enough got an answer for a score or an all-clear to mean something."""
        return self.ratio is not None and self.ratio >= self.min_coverage

    def checker(self, checker_id: str) -> CheckerCoverage | None:
        return next((c for c in self.checkers if c.checker == checker_id), None)

    def line(self) -> str:
        """``checked 300 of 338 checks (89%)``, or why nothing was."""
        if self.ratio is None:
            return "nothing was checked"
        return f"checked {self.definite} of {self.attempted} checks ({self.ratio:.0%})"

    def reason(self) -> str:
        """Why a score or an all-clear is unknown ('' when it is not)."""
        if self.sufficient:
            return ""
        if self.ratio is None:
            return "nothing could be checked (every checker was skipped)"
        if self.definite == 0:
            return (
                f"no source could be checked (all {self.attempted} checks were blocked "
                "or failed); is the network down?"
            )
        return (
            f"only {self.definite} of {self.attempted} checks got an answer "
            f"({self.ratio:.0%}, below the {self.min_coverage:.0%} needed)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.definite,
            "attempted": self.attempted,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "min_coverage": self.min_coverage,
            "sufficient": self.sufficient,
            "reason": self.reason(),
            "checkers": [c.to_dict() for c in self.checkers],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        return cls(
            checkers=tuple(CheckerCoverage.from_dict(c) for c in data.get("checkers") or ()),
            min_coverage=float(data.get("min_coverage", 0.5)),
        )

    @classmethod
    def from_checks(
        cls,
        checks: Iterable[Check],
        *,
        checkers: Iterable[str] = (),
        left_out: Mapping[str, str] | None = None,
        min_coverage: float = 0.5,
    ) -> Coverage:
        """Count ``checks`` per checker; ``checkers`` that made none and ``left_out`` appear too."""
        counts: dict[str, Counter[Outcome]] = {}
        reasons: dict[str, Counter[str]] = {}
        for name in checkers:
            counts.setdefault(name, Counter())
        for check in checks:
            counts.setdefault(check.checker, Counter())[check.status] += 1
            if check.status not in DEFINITE and check.detail:
                reasons.setdefault(check.checker, Counter())[check.detail] += 1
        left_out = dict(left_out or {})
        for name in left_out:
            counts.setdefault(name, Counter())
        return cls(
            checkers=tuple(
                CheckerCoverage(
                    checker=name,
                    found=n[Outcome.FOUND],
                    absent=n[Outcome.ABSENT],
                    blocked=n[Outcome.BLOCKED],
                    error=n[Outcome.ERROR],
                    skipped=n[Outcome.SKIPPED],
                    reasons=tuple(
                        r for r, _ in reasons.get(name, Counter()).most_common(MAX_REASONS)
                    ),
                    left_out=left_out.get(name, ""),
                )
                for name, n in sorted(counts.items())
            ),
            min_coverage=min_coverage,
        )
