"""Checklist items and the state of their removal requests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from exposure.model.clock import iso


class ItemGroup(StrEnum):
    """What a checklist item is about, in the order the checklist shows the groups:
    where you live first (people-search listings of a home address or phone), then
    breaches and passwords, then accounts (exposure/engine/checklist_groups.py)."""

    HOME = "home"
    BREACHES = "breaches"
    ACCOUNTS = "accounts"
    OTHER = "other"  # other details published about you (age, relatives, profiles)
    CHECK = "check"  # sources the scans could not read: check by hand
    HABITS = "habits"  # good habits everyone gets

    @property
    def heading(self) -> str:
        return _GROUP_TITLES[self]


_GROUP_TITLES = {
    ItemGroup.HOME: "Your home address and phone",
    ItemGroup.BREACHES: "Breaches and passwords",
    ItemGroup.ACCOUNTS: "Accounts",
    ItemGroup.OTHER: "Other details about you",
    ItemGroup.CHECK: "Not checked: check these by hand",
    ItemGroup.HABITS: "Good habits",
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
    group: ItemGroup = ItemGroup.OTHER  # set when the checklist is built
    # Items folded into this one (many accounts under one username): each keeps its
    # id, status and steps; one action on this item acts on all of them.
    members: list[ChecklistItem] = field(default_factory=list)

    def walk(self) -> Iterator[ChecklistItem]:
        """This item, then its members."""
        yield self
        yield from self.members

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
            "group": self.group.value,
            "members": [m.to_dict() for m in self.members],
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
