"""The remediation plan: what to do about each finding, and its state across rescans.

Items are built fresh on every read from the stored findings, the latest
checks, the broker and JustDeleteMe catalogues and our advice
(``data/advice.toml``). Each item's id is derived from what it is about, so
it stays the same across rescans and the person's "done" sticks:

==========================  =====================================================
``broker:<broker id>``      opt out of a people-search site (all its records)
``check:broker:<id>``       a broker we could not check (blocked, failed, no search)
``check:<checker>``         other sources we could not read, to check by hand
``impostor:<finding id>``   an account under the person's username, not known as theirs
``accounts:<username>``     many of those under one username, folded into one item
                            (``accounts:variant:<username>`` for a --variants username)
``account:<site>``          one of their own accounts: delete or lock it down
``breach:<name>``           a breach: change that password and its reuses, 2FA
``password:<finding id>``   a password found in breach lists, or weak
``source:<checker>:<where>`` details on a search result, key server, avatar, code host
``baseline:<id>``           good habits everyone gets (from advice.toml)
==========================  =====================================================

Priority 1 (first) to 5 (baseline); the scale is documented in advice.toml.
Items are shown in groups by what they expose (home address and phone, then
breaches, then accounts...: exposure/engine/checklist_groups.py), in removal
order inside each group.

The work is split: :mod:`~exposure.engine.advice` (our texts),
:mod:`~exposure.engine.checklist_items` (items from findings),
:mod:`~exposure.engine.checklist_other` (check by hand, good habits),
:mod:`~exposure.engine.checklist_groups` (groups, folding),
:mod:`~exposure.engine.checklist_state` (status across rescans); this module
reads the store and puts them together. Its names stay importable from here.

Status across rescans (computed on read, transitions persisted with their
date in the store's ``checklist_state``):

* ``open`` → ``done`` when the person says so (``exposure checklist done``);
* ``done`` or ``open`` → ``verified`` when every finding the item covers is
  ``gone`` (a later scan checked the source and no longer saw it);
* ``verified`` → ``relisted`` when a covered finding is seen again (or a new
  record appears for the same item); ``done`` → ``relisted`` when a covered
  finding came ``back`` after the item was marked done. A relisted item is
  open again: the person redoes it and marks it done.
* While a ``done`` item's findings are still seen (removals take days), it
  stays ``done`` with a step saying it is still listed.

A blocked or failed source never makes a finding gone (see exposure/store.py),
so it can never verify an item by mistake.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from exposure.engine import removal_order
from exposure.engine.advice import Advice, AdviceError, fill, load_advice, slug
from exposure.engine.checklist_groups import FOLD_AT, fold_accounts, in_groups
from exposure.engine.checklist_items import (
    BROKER_KINDS,
    CATEGORY_ORDER,
    MAX_LISTED,
    Inputs,
    finding_items,
)
from exposure.engine.checklist_other import baseline_items, check_items
from exposure.engine.checklist_state import STATUSES, Resolved, apply_state, resolve
from exposure.engine.seen import ME, NOT_ME
from exposure.errors import UsageError
from exposure.model import Check, ChecklistItem, Profile

if TYPE_CHECKING:
    from exposure.catalogues.accounts import AccountsCatalogue
    from exposure.catalogues.brokers import BrokerCatalogue
    from exposure.engine.store import Store

__all__ = [
    "BROKER_KINDS",
    "CATEGORY_ORDER",
    "FOLD_AT",
    "MAX_LISTED",
    "STATUSES",
    "Advice",
    "AdviceError",
    "Inputs",
    "Resolved",
    "apply_state",
    "AccountVerdict",
    "build_items",
    "checklist",
    "decide",
    "every_item",
    "fill",
    "find",
    "latest_checks",
    "load_advice",
    "mark",
    "resolve",
    "slug",
]

log = logging.getLogger(__name__)

RECENT_SCANS = 10  # how far back to look for the latest check of each source
ACCOUNT_CATEGORIES = ("accounts", "impostor", "account")  # items mine / not mine apply to


def build_items(inputs: Inputs) -> list[ChecklistItem]:
    """All items for a profile, status ``open``, in groups, most urgent first."""
    advice = inputs.advice or load_advice()
    findings = inputs.findings
    items = finding_items(findings, inputs, advice)
    for item in check_items(inputs, advice, items):
        items.setdefault(item.id, item)
    for item in baseline_items(inputs.profile, advice):
        items.setdefault(item.id, item)
    fold_accounts(items, findings, advice, inputs.profile.id)
    removal_order.plan(items, inputs.profile, inputs.brokers, advice)
    return in_groups(removal_order.ordered(items.values(), findings, CATEGORY_ORDER), findings)


def latest_checks(store: Store, profile: str, scans: int = RECENT_SCANS) -> list[Check]:
    """Every source's checks from the most recent scan that checked it."""
    seen: dict[tuple[str, str], int] = {}
    out: list[Check] = []
    for summary in reversed(store.scans(profile)[-scans:]):
        for check in store.checks(summary.scan_id):
            key = (check.checker, check.source)
            if seen.setdefault(key, summary.scan_id) == summary.scan_id:
                out.append(check)
    return out


def _load_brokers() -> BrokerCatalogue | None:
    from exposure.catalogues.brokers import load_brokers

    try:
        return load_brokers()
    except UsageError as exc:  # a broken user file must not take the checklist down
        log.warning("broker catalogue unavailable for the checklist: %s", exc)
        return None


def checklist(
    store: Store,
    profile: Profile,
    *,
    threshold: float = 0.0,
    brokers: BrokerCatalogue | None = None,
    accounts: AccountsCatalogue | None = None,
    advice: Advice | None = None,
    persist: bool = True,
    today: date | None = None,
) -> list[ChecklistItem]:
    """The profile's checklist with statuses; transitions are saved unless ``persist`` is off.

    ``brokers`` and ``accounts`` default to the installed catalogues (the
    JustDeleteMe cache from ``exposure sources update``, when there is one).
    ``today`` is the day requests count their deadlines from (the TUI's clock;
    default the wall clock's UTC date).
    """
    from exposure.catalogues.accounts import load_accounts

    findings = store.findings(profile.id, min_confidence=threshold, include_gone=True)
    inputs = Inputs(
        profile=profile,
        findings=findings,
        checks=latest_checks(store, profile.id),
        brokers=brokers if brokers is not None else _load_brokers(),
        accounts=accounts if accounts is not None else load_accounts(),
        advice=advice,
        verdicts=store.verdicts(profile.id),
    )
    items = build_items(inputs)
    state = store.checklist_state(profile.id)
    transitions = apply_state(items, {f.id: f for f in findings}, state)
    if persist and transitions:
        with store.batch():
            for item_id, status in transitions.items():
                store.set_checklist_state(profile.id, item_id, status)
        fresh = store.checklist_state(profile.id)
        for item in every_item(items):
            if item.id in transitions:
                item.changed_at = fresh[item.id][1]
    _attach_requests(store, profile, items, today)
    return items


def every_item(items: Iterable[ChecklistItem]) -> Iterator[ChecklistItem]:
    """Every item, folded members included (after the item they are folded into)."""
    for item in items:
        yield from item.walk()


def _attach_requests(
    store: Store, profile: Profile, items: list[ChecklistItem], today: date | None
) -> None:
    """Each removal item's request state, days left and next step."""
    from exposure.engine.request_log import RequestLog, attach
    from exposure.engine.request_rules import jurisdiction_for, load_rules

    rules = load_rules()
    attach(
        items,
        RequestLog(store).by_item(profile.id),
        rules,
        jurisdiction_for(profile, rules),
        profile,
        today,
    )


def find(items: Iterable[ChecklistItem], item_id: str, profile: Profile) -> ChecklistItem:
    """The item ``item_id`` (a folded member too); UsageError (exit 2) when there is none."""
    item = next((i for i in every_item(items) if i.id == item_id), None)
    if item is None:
        raise UsageError(
            f"no checklist item {item_id!r} for profile {profile.id!r} "
            f"(see `exposure checklist --profile {profile.id}` for the ids)"
        )
    return item


def mark(
    store: Store,
    profile: Profile,
    item_id: str,
    *,
    done: bool,
    threshold: float = 0.0,
    **catalogues: Any,
) -> ChecklistItem:
    """Mark an item done (or undo it: open again), with the items folded into it.
    Unknown ids raise UsageError (exit 2)."""
    item = find(checklist(store, profile, threshold=threshold, **catalogues), item_id, profile)
    status = "done" if done else "open"
    with store.batch():
        for one in item.walk():
            store.set_checklist_state(profile.id, one.id, status)
    fresh = store.checklist_state(profile.id)
    for one in item.walk():
        one.status = status
        one.changed_at = fresh[one.id][1]
    return item


class AccountVerdict(StrEnum):
    """The person's answer for every account of a folded item (or any item's findings)."""

    MINE = ME
    NOT_MINE = NOT_ME


def decide(
    store: Store,
    profile: Profile,
    item_id: str,
    whose: AccountVerdict,
    *,
    threshold: float = 0.0,
    **catalogues: Any,
) -> int:
    """Give every finding of an account item one verdict, in one transaction; returns how
    many. Only account items take it (a record or a breach is decided one by one, on
    the findings screen or with ``exposure findings``): anything else is a UsageError."""
    item = find(checklist(store, profile, threshold=threshold, **catalogues), item_id, profile)
    if item.category not in ACCOUNT_CATEGORIES:
        raise UsageError(
            f"{item_id} is not an account item: mine / not mine is for accounts under "
            "your username (decide records and breaches one by one on the findings screen)"
        )
    with store.batch():
        for fid in item.finding_ids:
            store.set_verdict(profile.id, fid, whose.value)
    return len(item.finding_ids)
