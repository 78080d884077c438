"""Checklist items made from findings: one per broker, breach, account, password, source.

:func:`build_items` groups the findings by what one action clears (the item
ids in :mod:`exposure.engine.checklist`), adds the items that are about no
finding (:mod:`exposure.engine.checklist_other`), the DROP and network
requests (:mod:`exposure.engine.removal_order`), folds many accounts under
one username into one item (:mod:`exposure.engine.checklist_groups`), and
orders them by what they expose.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from exposure.engine.advice import Advice, slug
from exposure.engine.shown_commands import add_account, item_commands
from exposure.model import (
    AccountAction,
    AskToRemove,
    BrokerOptOut,
    ChangePassword,
    Check,
    ChecklistItem,
    Exposes,
    Finding,
    FindingKind,
    Profile,
    ReplacePassword,
    Whose,
)

if TYPE_CHECKING:
    from exposure.catalogues.accounts import AccountsCatalogue
    from exposure.catalogues.brokers import BrokerCatalogue

CATEGORY_ORDER = (
    "impostor",
    "drop",
    "network",
    "broker",
    "password",
    "breach",
    "source",
    "accounts",
    "account",
    "check",
    "guardian",
    "baseline",
)
BROKER_KINDS = (FindingKind.PERSON_RECORD, FindingKind.LINKED_RECORD)
MAX_LISTED = 40  # URLs listed in one item
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})+$")


@dataclass
class Inputs:
    """Everything an item list is built from (all read-only)."""

    profile: Profile
    # What the person sees: Store.findings has applied the threshold and her
    # verdicts ("not me" left out, engine/seen.py); nothing here filters again.
    findings: list[Finding]
    checks: list[Check] = field(default_factory=list)  # the latest check of each source
    brokers: BrokerCatalogue | None = None
    accounts: AccountsCatalogue | None = None
    advice: Advice | None = None
    verdicts: Mapping[str, str] = field(default_factory=dict)


def finding_items(
    findings: Iterable[Finding], inputs: Inputs, advice: Advice
) -> dict[str, ChecklistItem]:
    """One item per action: the findings one opt-out, one password change... clears."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[_item_id(f, inputs)].append(f)
    return {
        item_id: _make_item(item_id, group, inputs, advice) for item_id, group in grouped.items()
    }


def _opt_out(f: Finding, inputs: Inputs) -> BrokerOptOut:
    """How to opt out of the finding's broker: the catalogue's steps, else the recorded
    ones (a scan with ``--brokers FILE``); ``method`` empty when neither knows them."""
    return known_opt_out(_remedy(f, BrokerOptOut), inputs)


def known_opt_out(recorded: BrokerOptOut, inputs: Inputs) -> BrokerOptOut:
    """The catalogue's opt-out for the broker when it has one, else the recorded one."""
    if inputs.brokers is not None:
        broker = inputs.brokers.get(recorded.broker_id)
        if broker is not None:
            return broker.remedy()
    return recorded


_R = TypeVar("_R", BrokerOptOut, AccountAction, ChangePassword, ReplacePassword, AskToRemove)


def _remedy(f: Finding, kind: type[_R]) -> _R:
    """The finding's remedy, which its item id says is a ``kind``."""
    remedy = f.remedy_or_default()
    assert isinstance(remedy, kind)
    return remedy


_SOURCE_ADVICE = {
    FindingKind.SEARCH_RESULT: "search_result",
    FindingKind.PUBLIC_KEY: "public_key",
    FindingKind.PROFILE: "profile",
    FindingKind.ACCOUNT: "account",
}


def _is_own(f: Finding, inputs: Inputs) -> bool:
    return inputs.verdicts.get(f.id) == "me" or f.whose is Whose.OWN


def _item_id(f: Finding, inputs: Inputs) -> str:
    remedy = f.remedy_or_default()
    match remedy:
        case BrokerOptOut():
            return f"broker:{remedy.broker_id}"
        case AccountAction():
            if _is_own(f, inputs):
                return f"account:{slug(remedy.site)}"
            return f"impostor:{f.id}"
        case ChangePassword():
            return f"breach:{slug(remedy.breach)}"
        case ReplacePassword():
            return f"password:{f.id}"
        case AskToRemove():
            return f"source:{f.checker}:{slug(remedy.where)}"


def _make_item(item_id: str, group: list[Finding], inputs: Inputs, advice: Advice) -> ChecklistItem:
    category = item_id.split(":", 1)[0]
    maker = {
        "broker": _broker_item,
        "impostor": _impostor_item,
        "account": _account_item,
        "breach": _breach_item,
        "password": _password_item,
        "source": _source_item,
    }[category]
    item = maker(item_id, group, inputs, advice)
    item.finding_ids = sorted({f.id for f in group})
    item.category = category
    return item


def _exposes(group: Iterable[Finding]) -> set[Exposes]:
    out: set[Exposes] = set()
    for f in group:
        out |= f.exposes
    return out


def _shown(exposes: Iterable[Exposes]) -> list[str]:
    return sorted(e.value.replace("_", " ") for e in exposes)


def _broker_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    opt = _opt_out(group[0], inputs)
    exposes = _exposes(group)
    if exposes & {Exposes.HOME_ADDRESS, Exposes.PHONE}:
        priority = 1
    elif any(f.kind is FindingKind.PERSON_RECORD for f in group) or exposes & {
        Exposes.RELATIVES,
        Exposes.AGE,
    }:
        priority = 2
    else:
        priority = 3
    if not opt.method:
        # No opt-out known (a broker the person added with just its search URL).
        name = opt.broker_name
        url = opt.url or group[0].url
        steps = [
            f"Find the opt-out or privacy page of {name} and ask for your listing to be removed.",
            *advice.steps(
                "broker",
                name=name,
                id=item_id,
                method="see the site",
                requires="whatever it asks",
                days="some",
            )[3:],
        ]
        return ChecklistItem(
            id=item_id,
            title=advice.text("broker", "title", name=name),
            priority=priority,
            url=url,
            steps=steps,
        )
    requires = ", ".join(r.replace("-", " ") for r in (opt.requires or ())) or "nothing more"
    days = opt.days if opt.days is not None else "an unknown number of"
    values = {
        "name": opt.broker_name,
        "id": item_id,
        "method": opt.method.replace("-", " "),
        "requires": requires,
        "days": days,
        "email": opt.email,
        "notes": opt.notes,
        **item_commands(inputs.profile.id, item_id),
    }
    steps = advice.steps("broker", **values)
    if opt.email:
        steps.insert(2, advice.text("broker", "email_step", **values))
    if opt.notes:
        steps.insert(2, advice.text("broker", "notes_step", **values))
    if opt.relists:
        steps.append(advice.text("broker", "relists", **values))
    shown = _shown(exposes)
    if shown:
        steps.insert(0, f"It shows your {', '.join(shown)} ({len(group)} record(s)).")
    return ChecklistItem(
        id=item_id,
        title=advice.text("broker", "title", **values),
        priority=priority,
        url=opt.url,
        steps=steps,
    )


def _impostor_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    f = group[0]
    account = _remedy(f, AccountAction)
    values = {
        "site": account.site,
        "username": account.username,
        "url": f.url,
        "add_account": add_account(inputs.profile.id, f.url),
    }
    # An account under a username made from the person's names (scan --variants).
    section = "variant_account" if account.variant else "impostor"
    return ChecklistItem(
        id=item_id,
        title=advice.text(section, "title", **values),
        priority=1,
        url=f.url,
        steps=advice.steps(section, **values),
    )


def _account_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    f = group[0]
    site = _remedy(f, AccountAction).site
    names = sorted({u for g in group if (u := _remedy(g, AccountAction).username)})
    values: dict[str, object] = {"site": site, "username": ", ".join(names), "url": f.url}
    steps = advice.steps("account", **values)
    url = f.url
    if inputs.accounts is None:
        steps.append(advice.text("account", "no_data", **values))
    else:
        info = inputs.accounts.lookup(site, f.url)
        if info is None:
            steps.append(advice.text("account", "unknown_site", **values))
        else:
            values.update(difficulty=info.difficulty, notes=info.notes, email=info.email)
            if info.url:
                url = info.url
                steps.append(advice.text("account", "deletion", **{**values, "url": info.url}))
            if info.email:
                steps.append(advice.text("account", "deletion_email", **values))
            if info.notes:
                steps.append(advice.text("account", "deletion_notes", **values))
    if names:
        steps.insert(0, f"Username(s) there: {', '.join(names)} — {f.url}")
    return ChecklistItem(
        id=item_id,
        title=advice.text("account", "title", **values),
        priority=4,
        url=url,
        steps=steps,
    )


def _breach_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    breaches = [_remedy(f, ChangePassword) for f in group]
    m = breaches[0]
    classes = list(dict.fromkeys(c for b in breaches for c in b.data_classes))
    emails = sorted({b.email for b in breaches if b.email})
    has_passwords = any(b.leaked_passwords for b in breaches)
    values = {
        "breach": m.title or m.breach,
        "date": m.date or "date unknown",
        "emails": ", ".join(emails) or "your account",
        "classes": ", ".join(classes) or "details not listed",
    }
    steps = advice.steps("breach", **values)
    if not has_passwords:
        steps.insert(1, advice.text("breach", "no_passwords", **values))
    domain = m.domain.lower()
    url = f"https://{domain}/" if _DOMAIN.match(domain) else group[0].url
    return ChecklistItem(
        id=item_id,
        title=advice.text("breach", "title", **values),
        priority=1 if has_passwords else 2,
        url=url,
        steps=steps,
    )


def _password_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    password = _remedy(group[0], ReplacePassword)
    if password.breached:
        return ChecklistItem(
            id=item_id,
            title=advice.text("password", "title"),
            priority=1,
            url="",
            steps=advice.steps("password", count=password.seen),
        )
    return ChecklistItem(
        id=item_id,
        title=advice.text("password", "weak_title"),
        priority=2,
        url="",
        steps=[advice.text("password", "weak")],
    )


def _source_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    f = group[0]
    ask = _remedy(f, AskToRemove)
    key = ask.advice or _SOURCE_ADVICE.get(f.kind, "profile")
    values = {"source": ask.where, "url": f.url}
    values["what"] = advice.text("source", key, **values)
    exposes = _exposes(group)
    priority = 2 if exposes & {Exposes.HOME_ADDRESS, Exposes.PHONE} else 3
    steps = advice.steps("source", **values)
    shown = _shown(exposes)
    if shown:
        steps.insert(1, f"Exposed there: {', '.join(shown)}.")
    others = sorted({g.url for g in group if g.url and g.url != f.url})
    steps.extend(f"Also: {u}" for u in others[:MAX_LISTED])
    return ChecklistItem(
        id=item_id,
        title=advice.text("source", "title", **values),
        priority=priority,
        url=f.url,
        steps=steps,
    )
