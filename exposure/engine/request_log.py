"""Requests kept to the end: what was drafted, when it was sent, and what is due.

The store's ``requests`` table keeps every draft and every sending (rows are
never deleted, so a relisted item keeps its history). :func:`track` turns
those rows, the item's checklist status and the law into a
:class:`~exposure.model.RequestStatus`:

* ``none`` → ``drafted`` (a draft was written) → ``sent`` (the person said
  when and how: ``exposure request sent``), with the days left before the
  legal deadline (or, without a law, before a suggested follow-up);
* ``sent`` → ``overdue`` when the deadline passed and the listing is still
  seen; the next step is a reminder, then a complaint to the regulator;
* → ``verified`` when a rescan no longer sees the listing (the checklist's
  own ``verified``); → ``relisted`` when it came back: a new round starts,
  the earlier rows stay as history.

California's DROP item counts its own way: registered brokers must process
DROP requests every 45 days from 1 August 2026, so its answer is due 45 days
after the later of the sending and that date.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from exposure.engine import rows as col
from exposure.engine.request_rules import (
    Choice,
    Due,
    RequestRules,
    add_deadline,
    program_for,
)
from exposure.engine.requests import Draft, Via
from exposure.engine.store import Store
from exposure.engine.store_errors import reading
from exposure.errors import UsageError
from exposure.model import (
    ChecklistItem,
    Finding,
    Profile,
    RequestKind,
    RequestState,
    RequestStatus,
    iso,
    utcnow,
)

DROP_ITEM = "drop:california"
FIRST_KINDS = (RequestKind.REQUEST, RequestKind.ADDRESS_DEMAND)


@dataclass(frozen=True)
class RequestRecord:
    id: int
    item_id: str
    kind: RequestKind
    jurisdiction: str
    drafted_at: datetime
    recipient: str
    subject: str
    body: str
    sent_on: date | None
    via: str

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "kind": self.kind.value,
            "jurisdiction": self.jurisdiction,
            "drafted_at": iso(self.drafted_at),
            "recipient": self.recipient,
            "subject": self.subject,
            "sent_on": self.sent_on.isoformat() if self.sent_on else None,
            "via": self.via,
        }


class RequestLog:
    """The ``requests`` table of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def records(self, profile: str, item_id: str | None = None) -> list[RequestRecord]:
        """The profile's requests (one item's with ``item_id``), oldest first."""
        sql = "SELECT * FROM requests WHERE profile = ?"
        args: tuple[object, ...] = (profile,)
        if item_id is not None:
            sql += " AND item_id = ?"
            args = (profile, item_id)
        return [_record(self.store.path, r) for r in self.store.query(sql + " ORDER BY id", args)]

    def by_item(self, profile: str) -> dict[str, list[RequestRecord]]:
        out: dict[str, list[RequestRecord]] = {}
        for record in self.records(profile):
            out.setdefault(record.item_id, []).append(record)
        return out

    def save_draft(self, profile: str, d: Draft) -> RequestRecord:
        with self.store.batch():
            cur = self.store.db.execute(
                "INSERT INTO requests (profile, item_id, kind, jurisdiction, drafted_at,"
                " recipient, subject, body) VALUES (?,?,?,?,?,?,?,?)",
                (
                    profile,
                    d.item_id,
                    d.kind.value,
                    d.jurisdiction,
                    iso(utcnow()),
                    d.to_email or d.to_name,
                    d.subject,
                    d.body,
                ),
            )
        assert cur.lastrowid is not None
        return self.records(profile, d.item_id)[-1]

    def mark_sent(
        self,
        profile: str,
        item_id: str,
        *,
        via: Via,
        on: date,
        kind: RequestKind,
        jurisdiction: str,
    ) -> RequestRecord:
        """Record the sending of the latest unsent draft of ``kind`` (or of no draft)."""
        unsent = [r for r in self.records(profile, item_id) if r.kind is kind and r.sent_on is None]
        with self.store.batch():
            if unsent:
                self.store.db.execute(
                    "UPDATE requests SET sent_on = ?, via = ? WHERE id = ?",
                    (on.isoformat(), via.value, unsent[-1].id),
                )
                record_id = unsent[-1].id
            else:  # sent by a form or phone call without a draft from us
                cur = self.store.db.execute(
                    "INSERT INTO requests (profile, item_id, kind, jurisdiction, drafted_at,"
                    " sent_on, via) VALUES (?,?,?,?,?,?,?)",
                    (
                        profile,
                        item_id,
                        kind.value,
                        jurisdiction,
                        iso(utcnow()),
                        on.isoformat(),
                        via.value,
                    ),
                )
                assert cur.lastrowid is not None
                record_id = cur.lastrowid
        return next(r for r in self.records(profile, item_id) if r.id == record_id)


def _record(path: Path, row: sqlite3.Row) -> RequestRecord:
    with reading(path, "requests", f"id {row['id']}"):
        return RequestRecord(
            id=col.integer(row, "id") or 0,
            item_id=col.required(row, "item_id"),
            kind=col.member(row, "kind", RequestKind),
            jurisdiction=col.text(row, "jurisdiction"),
            drafted_at=col.time(row, "drafted_at") or utcnow(),
            recipient=col.text(row, "recipient"),
            subject=col.text(row, "subject"),
            body=col.text(row, "body"),
            sent_on=col.day(row, "sent_on"),
            via=col.text(row, "via"),
        )


# --------------------------------------------------------------------------- tracking


def _current_round(records: Sequence[RequestRecord], item: ChecklistItem) -> list[RequestRecord]:
    """The rows since the item was last relisted (a relisting starts a new round)."""
    if item.status == "relisted" and item.changed_at is not None:
        return [r for r in records if r.drafted_at >= item.changed_at]
    return list(records)


def due_for(first: RequestRecord, rules: RequestRules, choice: Choice, profile: Profile) -> Due:
    if first.item_id == DROP_ITEM and rules.drop is not None and first.sent_on is not None:
        start = max(first.sent_on, rules.drop.processing_from)
        day = start + timedelta(days=rules.drop.interval_days)
        return Due(day, None, day)
    assert first.sent_on is not None
    if first.kind is RequestKind.ADDRESS_DEMAND:
        program = program_for(profile, rules)
        if program is not None:
            return add_deadline(first.sent_on, program.deadline)
    j = rules.get(first.jurisdiction) or choice.jurisdiction
    return add_deadline(first.sent_on, j.deadline, follow_up_days=j.follow_up_days)


def track(
    item: ChecklistItem,
    records: Sequence[RequestRecord],
    rules: RequestRules,
    choice: Choice,
    profile: Profile,
    today: date,
) -> RequestStatus:
    """Where the item's request stands today (pure: no store access)."""
    history = tuple((r.kind.value, r.sent_on, r.via) for r in records if r.sent_on)
    law = choice.jurisdiction.law.text if choice.jurisdiction.law else ""
    base = RequestStatus(
        RequestState.NONE, jurisdiction=choice.jurisdiction.id, law=law, history=history
    )
    if item.status == "verified":
        return replace(base, state=RequestState.VERIFIED if records else RequestState.NONE)
    current = _current_round(records, item)
    sent = [r for r in current if r.sent_on is not None]
    first = next((r for r in sent if r.kind in FIRST_KINDS), None)
    if first is None:
        if item.status == "relisted" and records:
            return replace(base, state=RequestState.RELISTED, next_step=RequestKind.REQUEST)
        state = RequestState.DRAFTED if current else RequestState.NONE
        return replace(base, state=state, next_step=RequestKind.REQUEST)
    due = due_for(first, rules, choice, profile)
    days_left = due.days_left(today)
    reminded = any(r.kind is RequestKind.REMINDER for r in sent)
    complained = any(r.kind is RequestKind.COMPLAINT for r in sent)
    overdue = days_left < 0 and bool(item.finding_ids or item.id == DROP_ITEM)
    if overdue and not complained:
        can_complain = choice.jurisdiction.regulator is not None
        step = RequestKind.COMPLAINT if reminded and can_complain else RequestKind.REMINDER
    else:
        step = None
    return replace(
        base,
        state=RequestState.OVERDUE if overdue else RequestState.SENT,
        sent_on=first.sent_on,
        via=first.via,
        due=due.due,
        extended_due=due.extended,
        follow_up=due.follow_up,
        days_left=days_left,
        next_step=step,
    )


def attach(
    items: Iterable[ChecklistItem],
    by_item: dict[str, list[RequestRecord]],
    rules: RequestRules,
    choice: Choice,
    profile: Profile,
    today: date | None = None,
) -> None:
    """Set ``item.request`` on every removal item (and any item with requests on file)."""
    today = today or utcnow().date()
    for item in items:
        records = by_item.get(item.id, [])
        if records or is_removal(item):
            item.request = track(item, records, rules, choice, profile, today)


def describe(status: RequestStatus) -> str:
    """One line: state, due date, days left, next step (request list, checklist, reports, TUI)."""
    parts = [status.state.value]
    if status.sent_on:
        parts.append(
            f"sent {status.sent_on.isoformat()}" + (f" by {status.via}" if status.via else "")
        )
    if status.due:
        if status.days_left is not None and status.days_left >= 0:
            parts.append(f"due {status.due.isoformat()} ({status.days_left} days left)")
        else:
            parts.append(f"was due {status.due.isoformat()} ({-(status.days_left or 0)} days ago)")
    elif status.follow_up and status.sent_on:
        parts.append(f"follow up {status.follow_up.isoformat()}")
    if status.extended_due and status.state in (RequestState.SENT, RequestState.OVERDUE):
        parts.append(f"latest with extension {status.extended_due.isoformat()}")
    if status.next_step:
        parts.append(f"next: {status.next_step.value}")
    return ", ".join(parts)


def countdown(status: RequestStatus) -> str:
    """The days before the answer is due, for people: "12 days left", "due today",
    "OVERDUE by 3 days"; "follow up in 5 days" without a legal deadline; "" when
    nothing was sent (or the request is over)."""
    if status.days_left is None or status.state not in (RequestState.SENT, RequestState.OVERDUE):
        return ""
    n = status.days_left

    def days(k: int) -> str:
        return f"{k} day{'' if k == 1 else 's'}"

    if status.state is RequestState.OVERDUE:
        return f"OVERDUE by {days(-n)}"
    if status.due is None:
        return f"follow up in {days(n)}" if n > 0 else "follow up now"
    if n > 0:
        return f"{days(n)} left"
    return "due today" if n == 0 else f"deadline passed {days(-n)} ago"


def is_removal(item: ChecklistItem) -> bool:
    """Items a request can carry: brokers, networks, DROP, details on other sources."""
    return item.category in ("broker", "network", "drop", "source")


# --------------------------------------------------------------------------- sent dates


def parse_day(text: str | None, today: date) -> date:
    """The sent date as the person typed it (YYYY-MM-DD); ``today`` when not given."""
    if text is None:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"the sent date must be YYYY-MM-DD (got {text[:40]!r})") from None


def sent_summary(item: ChecklistItem, record: RequestRecord) -> str:
    """One line after recording a sending: what, when, how, and when the answer is due."""
    on = record.sent_on.isoformat() if record.sent_on else "?"
    line = f"{item.id}: {record.kind.value} sent on {on} by {record.via}"
    status = item.request
    if status is not None and status.due is not None:
        line += f"; answer due by {status.due.isoformat()} ({status.days_left} days)"
    elif status is not None and status.follow_up is not None:
        line += f"; no legal deadline, follow up on {status.follow_up.isoformat()}"
    return line


def check_sent_date(
    on: date, today: date, covered: Iterable[Finding], earliest: date | None
) -> None:
    """Refuse (UsageError, one line) a date in the future or before the listing was seen."""
    if on > today:
        raise UsageError(
            f"the sent date {on.isoformat()} is in the future (today is {today.isoformat()})"
        )
    seen = [f.first_seen.date() for f in covered if f.first_seen is not None]
    floor = min(seen, default=None)
    if floor is not None and on < floor:
        raise UsageError(
            f"the sent date {on.isoformat()} is before the listing was first seen "
            f"({floor.isoformat()})"
        )
    if earliest is not None and on < earliest:
        raise UsageError(f"the sent date {on.isoformat()} is before {earliest.isoformat()}")
