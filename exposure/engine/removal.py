"""The removal-request flow the CLI and the TUI share: draft for an item, record its sending.

:func:`prepare` finds the checklist item (an unknown id is a UsageError:
exit 2), decides what to write next (the item's next step, or the kind the
person asked for), builds the :class:`~exposure.engine.requests.Target` from
the broker catalogue and the item's findings, writes the draft and keeps it
in the store. :func:`record_sent` checks the date (not in the future, not
before the listing was first seen) and records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from exposure.engine.checklist import checklist, find
from exposure.engine.request_log import DROP_ITEM, RequestLog, RequestRecord, check_sent_date
from exposure.engine.request_rules import RequestRules, jurisdiction_for, load_rules, program_for
from exposure.engine.requests import Draft, History, Target, Via, draft
from exposure.engine.shown_commands import item_commands
from exposure.engine.store import Store
from exposure.errors import UsageError
from exposure.model import ChecklistItem, Finding, Profile, RequestKind

REQUESTABLE = ("broker", "network", "source")


@dataclass(frozen=True)
class Prepared:
    item: ChecklistItem
    draft: Draft
    record: RequestRecord


def find_item(
    store: Store,
    profile: Profile,
    item_id: str,
    *,
    threshold: float = 0.0,
    today: date | None = None,
    **catalogues: Any,
) -> ChecklistItem:
    """The checklist item (UsageError, exit 2, when there is none), its request
    tracked as of ``today``."""
    items = checklist(store, profile, threshold=threshold, today=today, **catalogues)
    return find(items, item_id, profile)


def _broker_catalogue(catalogues: dict[str, Any]) -> Any | None:
    if catalogues.get("brokers") is not None:
        return catalogues["brokers"]
    from exposure.engine.checklist import _load_brokers

    return _load_brokers()


def _privacy_email(broker: Any) -> str:
    opt_out_email = broker.opt_out.email if broker.opt_out is not None else ""
    return str(getattr(broker, "privacy_email", "") or opt_out_email or "")


def _demands(broker: Any) -> tuple[tuple[str, ...], str]:
    """(what the opt-out requires, its notes); nothing when the catalogue does not know."""
    if broker.opt_out is None:
        return (), ""
    return tuple(broker.opt_out.requires), str(broker.opt_out.notes)


def target_for(item: ChecklistItem, findings: list[Finding], brokers: Any | None) -> Target:
    """Who to write to about ``item`` and which listings to name."""
    listings = tuple(dict.fromkeys(f.url for f in findings if f.url))
    kind, _, key = item.id.partition(":")
    if kind == "network" and brokers is not None:
        members = [b for b in brokers if getattr(b, "network", "") == key]
        head = next((b for b in members if b.id == key), members[0] if members else None)
        if head is not None:
            email = next((_privacy_email(b) for b in members if _privacy_email(b)), "")
            return Target(
                item_id=item.id,
                organisation=getattr(head, "parent", "") or head.name,
                email=email,
                form_url=head.opt_out_url,
                listings=listings,
                requires=_demands(head)[0],
                notes=_demands(head)[1],
                covers=tuple(b.name for b in members),
            )
    broker = brokers.get(key) if brokers is not None and kind == "broker" else None
    if broker is not None:
        return Target(
            item_id=item.id,
            organisation=broker.name,
            email=_privacy_email(broker),
            form_url=broker.opt_out_url,
            listings=listings,
            requires=_demands(broker)[0],
            notes=f"{_demands(broker)[1]} {broker.note}".strip(),
        )
    where = findings[0].source if findings else key
    return Target(item_id=item.id, organisation=where, form_url=item.url, listings=listings)


def _history(records: list[RequestRecord], due: date | None) -> History:
    first = next((r for r in records if r.sent_on and r.kind is not RequestKind.REMINDER), None)
    reminded = [r.sent_on for r in records if r.kind is RequestKind.REMINDER and r.sent_on]
    return History(
        sent_on=first.sent_on if first else None,
        due=due,
        reminded_on=reminded[-1] if reminded else None,
    )


def next_kind(item: ChecklistItem, profile: Profile, rules: RequestRules) -> RequestKind:
    step = item.request.next_step if item.request else None
    if step is None or step is RequestKind.REQUEST:
        return RequestKind.ADDRESS_DEMAND if program_for(profile, rules) else RequestKind.REQUEST
    return step


def prepare(
    store: Store,
    profile: Profile,
    item_id: str,
    *,
    kind: RequestKind | None = None,
    threshold: float = 0.0,
    rules: RequestRules | None = None,
    today: date | None = None,
    **catalogues: Any,
) -> Prepared:
    """Write (and keep) the draft for ``item_id``: the next step (as of ``today``)
    unless ``kind`` says."""
    rules = rules or load_rules()
    item = find_item(store, profile, item_id, threshold=threshold, today=today, **catalogues)
    if item.id == DROP_ITEM and rules.drop is not None:
        raise UsageError(
            f"DROP requests are made on the state's own site ({rules.drop.url}), not by letter; "
            f"then: {item_commands(profile.id, DROP_ITEM)['sent']}"
        )
    if item.category not in REQUESTABLE:
        raise UsageError(
            f"{item.id} is not a removal item (requests are for brokers and other sources "
            "that publish your details)"
        )
    chosen = kind or next_kind(item, profile, rules)
    findings = [f for f in (store.finding(profile.id, fid) for fid in item.finding_ids) if f]
    target = target_for(item, findings, _broker_catalogue(dict(catalogues)))
    log = RequestLog(store)
    records = log.records(profile.id, item.id)
    d = draft(
        chosen,
        target,
        profile,
        jurisdiction_for(profile, rules),
        program=program_for(profile, rules),
        history=_history(records, item.request.due if item.request else None),
    )
    unsent = [r for r in records if r.sent_on is None and r.kind is d.kind]
    if unsent and unsent[-1].body == d.body and unsent[-1].subject == d.subject:
        record = unsent[-1]  # the same draft again: keep one copy
    else:
        record = log.save_draft(profile.id, d)
    return Prepared(item, d, record)


def record_sent(
    store: Store,
    profile: Profile,
    item_id: str,
    *,
    via: Via,
    on: date,
    today: date,
    kind: RequestKind | None = None,
    threshold: float = 0.0,
    rules: RequestRules | None = None,
    **catalogues: Any,
) -> tuple[ChecklistItem, RequestRecord]:
    rules = rules or load_rules()
    item = find_item(store, profile, item_id, threshold=threshold, today=today, **catalogues)
    findings = [f for f in (store.finding(profile.id, fid) for fid in item.finding_ids) if f]
    earliest = rules.drop.open_since if item.id == DROP_ITEM and rules.drop else None
    check_sent_date(on, today, findings, earliest)
    log = RequestLog(store)
    if kind is None:
        unsent = [r for r in log.records(profile.id, item.id) if r.sent_on is None]
        kind = unsent[-1].kind if unsent else next_kind(item, profile, rules)
    jurisdiction = (
        "drop" if item.id == DROP_ITEM else jurisdiction_for(profile, rules).jurisdiction.id
    )
    record = log.mark_sent(
        profile.id, item.id, via=via, on=on, kind=kind, jurisdiction=jurisdiction
    )
    refreshed = find_item(store, profile, item_id, threshold=threshold, today=today, **catalogues)
    return refreshed, record
