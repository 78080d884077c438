"""The checklist in groups a person can work through, and many accounts folded into one.

A common username gives hundreds of accounts on sites the person never
used. One item each, all "urgent", buries the listings of their home
address. So:

* every item gets an :class:`~exposure.model.ItemGroup` from what it is
  about and what its findings expose: a people-search listing or another
  source showing the home address or phone is ``home``; breaches and
  passwords are ``breaches``; accounts are ``accounts``; other listings
  (an age, relatives, a profile) are ``other``; then the sources to check by
  hand, then good habits. :func:`in_groups` orders the list by group, keeping
  the removal order (priority, reach, harm) inside each group; a network's
  members stay under their network request.
* :func:`fold_accounts` puts the accounts under one username that are not
  known as the person's (``impostor:<finding id>`` items) into one
  ``accounts:<username>`` item when there are :data:`FOLD_AT` or more. The
  members keep their ids, statuses and steps; the group item is the one to
  act on: all mine, none mine (``exposure checklist mine|not-mine ID``), or
  reported (``checklist done ID``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from exposure.engine.advice import slug
from exposure.engine.shown_commands import item_commands, profile_commands
from exposure.model import AccountAction, ChecklistItem, Exposes, Finding, ItemGroup

if TYPE_CHECKING:
    from exposure.engine.advice import Advice

FOLD_AT = 3  # accounts under one username, not known as the person's, folded into one item
GROUP_ORDER = tuple(ItemGroup)  # the enum is in the order the checklist shows
_WHERE_YOU_LIVE = {Exposes.HOME_ADDRESS, Exposes.PHONE}
_BY_CATEGORY = {
    "drop": ItemGroup.HOME,
    "breach": ItemGroup.BREACHES,
    "password": ItemGroup.BREACHES,
    "impostor": ItemGroup.ACCOUNTS,
    "accounts": ItemGroup.ACCOUNTS,
    "account": ItemGroup.ACCOUNTS,
    "check": ItemGroup.CHECK,
    "baseline": ItemGroup.HABITS,
    "guardian": ItemGroup.HABITS,
}
SHOWS_LISTINGS = ("network", "broker", "source")  # home or other, by what they expose


def group_of(item: ChecklistItem, findings: Mapping[str, Finding]) -> ItemGroup:
    """The group ``item`` belongs in (its network's, for a network member: see in_groups)."""
    if item.category in SHOWS_LISTINGS:
        shown = {e for fid in item.finding_ids if (f := findings.get(fid)) for e in f.exposes}
        return ItemGroup.HOME if shown & _WHERE_YOU_LIVE else ItemGroup.OTHER
    return _BY_CATEGORY.get(item.category, ItemGroup.OTHER)


def in_groups(items: Iterable[ChecklistItem], findings: Iterable[Finding]) -> list[ChecklistItem]:
    """``items`` (already in removal order) with their group set, ordered group by group."""
    from exposure.engine.removal_order import grouped_under

    by_id = {f.id: f for f in findings}
    listed = list(items)
    for item in listed:
        item.group = group_of(item, by_id)
    heads = {i.id: i.group for i in listed}
    for item in listed:
        head = grouped_under(item)
        if head in heads:
            item.group = heads[head]  # shown under its network request
    return sorted(listed, key=lambda i: GROUP_ORDER.index(i.group))  # stable


def _username(item: ChecklistItem, findings: Mapping[str, Finding]) -> tuple[str, bool]:
    """(the username, made from the person's names?) of an impostor item's account."""
    f = findings.get(item.finding_ids[0]) if item.finding_ids else None
    remedy = f.remedy_or_default() if f is not None else None
    if not isinstance(remedy, AccountAction):
        return "", False
    return remedy.username, remedy.variant


def fold_accounts(
    items: dict[str, ChecklistItem], findings: Iterable[Finding], advice: Advice, profile: str
) -> None:
    """Fold each username's unknown-owner accounts into one item when there are many."""
    by_id = {f.id: f for f in findings}
    under: dict[tuple[str, bool], list[ChecklistItem]] = {}
    for item in items.values():
        if item.category == "impostor":
            under.setdefault(_username(item, by_id), []).append(item)
    for (username, variant), members in sorted(under.items()):
        if len(members) < FOLD_AT or not username:
            continue
        item_id = f"accounts:{'variant:' if variant else ''}{slug(username)}"
        members.sort(key=lambda m: (m.title.casefold(), m.id))
        section = "variant_accounts" if variant else "accounts"
        values = {
            "username": username,
            "count": len(members),
            **item_commands(profile, item_id),
            **profile_commands(profile),
        }
        steps = advice.steps(section, **values)
        steps.extend(f"{m.title} — {m.url}" for m in members[:40])
        if len(members) > 40:
            steps.append(f"… and {len(members) - 40} more (`{values['findings_json']}`)")
        for m in members:
            del items[m.id]
        items[item_id] = ChecklistItem(
            id=item_id,
            title=advice.text(section, "title", **values),
            priority=3,
            finding_ids=sorted({fid for m in members for fid in m.finding_ids}),
            url="",
            steps=steps,
            category="accounts",
            members=members,
        )


def by_group(items: Iterable[ChecklistItem]) -> list[tuple[ItemGroup, list[ChecklistItem]]]:
    """``items`` (in checklist order) as runs of one group each, in that order."""
    out: list[tuple[ItemGroup, list[ChecklistItem]]] = []
    for item in items:
        if out and out[-1][0] is item.group:
            out[-1][1].append(item)
        else:
            out.append((item.group, [item]))
    return out


def group_summary(items: Iterable[ChecklistItem]) -> list[dict[str, object]]:
    """The JSON ``groups`` list: each group's id, heading, item ids and how many are to do."""
    return [
        {
            "id": group.value,
            "title": group.heading,
            "items": [i.id for i in members],
            "to_do": sum(i.status in ("open", "relisted") for i in members),
        }
        for group, members in by_group(items)
    ]
