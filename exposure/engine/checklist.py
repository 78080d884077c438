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
``account:<site>``          one of their own accounts: delete or lock it down
``breach:<name>``           a breach: change that password and its reuses, 2FA
``password:<finding id>``   a password found in breach lists, or weak
``source:<checker>:<where>`` details on a search result, key server, avatar, code host
``baseline:<id>``           good habits everyone gets (from advice.toml)
==========================  =====================================================

Priority 1 (first) to 5 (baseline); the scale is documented in advice.toml.

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
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from exposure.engine.hand_check import hand_commands
from exposure.errors import UsageError
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
    Outcome,
    Profile,
    ReplacePassword,
    Whose,
    iso,
)

if TYPE_CHECKING:
    from exposure.catalogues.accounts import AccountsCatalogue
    from exposure.catalogues.brokers import BrokerCatalogue
    from exposure.engine.store import Store

log = logging.getLogger(__name__)

STATUSES = ("open", "done", "verified", "relisted")
CATEGORY_ORDER = (
    "impostor",
    "drop",
    "network",
    "broker",
    "password",
    "breach",
    "source",
    "account",
    "check",
    "guardian",
    "baseline",
)
BROKER_KINDS = (FindingKind.PERSON_RECORD, FindingKind.LINKED_RECORD)
RECENT_SCANS = 10  # how far back to look for the latest check of each source
MAX_LISTED = 40  # sources listed in one "check by hand" item
_SLUG = re.compile(r"[^a-z0-9]+")
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})+$")


# --------------------------------------------------------------------------- advice


class AdviceError(UsageError):
    """advice.toml is unusable (ours, so this is a packaging bug)."""


@dataclass(frozen=True)
class Advice:
    """Our advice texts: baseline items and per-kind step templates."""

    data: Mapping[str, Any]

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    def text(self, section: str, key: str, **values: object) -> str:
        return fill(str(self.section(section).get(key, "")), **values)

    def steps(self, section: str, **values: object) -> list[str]:
        return [fill(str(s), **values) for s in self.section(section).get("steps", [])]

    def baseline(self) -> list[Mapping[str, Any]]:
        return list(self.data.get("baseline", []))


def load_advice(path: Path | None = None) -> Advice:
    from exposure import paths

    path = path or paths.bundled_data() / "advice.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AdviceError(f"{path}: {exc}") from None
    for n, item in enumerate(data.get("baseline", [])):
        if not (
            isinstance(item, dict)
            and item.get("id")
            and item.get("title")
            and isinstance(item.get("steps"), list)
        ):
            raise AdviceError(f"{path}: baseline item {n + 1} needs id, title and steps")
    return Advice(data)


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **values: object) -> str:
    """``template`` (ours) with ``{name}`` placeholders filled; unknown ones kept."""
    return template.format_map(_Blank({k: "" if v is None else v for k, v in values.items()}))


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "unnamed"


# --------------------------------------------------------------------------- building


@dataclass
class Inputs:
    """Everything an item list is built from (all read-only)."""

    profile: Profile
    findings: list[Finding]
    checks: list[Check] = field(default_factory=list)  # the latest check of each source
    brokers: BrokerCatalogue | None = None
    accounts: AccountsCatalogue | None = None
    advice: Advice | None = None
    verdicts: Mapping[str, str] = field(default_factory=dict)


def build_items(inputs: Inputs) -> list[ChecklistItem]:
    """All items for a profile, status ``open``, ordered by priority."""
    advice = inputs.advice or load_advice()
    findings = [f for f in inputs.findings if inputs.verdicts.get(f.id) != "not_me"]
    items: dict[str, ChecklistItem] = {}
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[_item_id(f, inputs)].append(f)
    for item_id, group in grouped.items():
        items[item_id] = _make_item(item_id, group, inputs, advice)
    for item in _check_items(inputs, advice, items):
        items.setdefault(item.id, item)
    for item in _baseline_items(inputs.profile, advice):
        items.setdefault(item.id, item)
    from exposure.engine import removal_order

    removal_order.plan(items, inputs.profile, inputs.brokers, advice)
    return removal_order.ordered(items.values(), findings, CATEGORY_ORDER)


def _opt_out(f: Finding, inputs: Inputs) -> BrokerOptOut:
    """How to opt out of the finding's broker: the catalogue's steps, else the recorded
    ones (a scan with ``--brokers FILE``); ``method`` empty when neither knows them."""
    return _known_opt_out(_remedy(f, BrokerOptOut), inputs)


def _known_opt_out(recorded: BrokerOptOut, inputs: Inputs) -> BrokerOptOut:
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
    values = {"site": account.site, "username": account.username, "url": f.url}
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


def _check_items(
    inputs: Inputs, advice: Advice, existing: Mapping[str, ChecklistItem]
) -> list[ChecklistItem]:
    """Sources the last scans could not read or did not search: unknown is not absent.

    A broker gets its own item (with its search or opt-out link) when any of
    its searches was blocked or failed, or when it was only ``skipped`` (no
    public search, not enough details to search with, robots.txt). Other
    checkers' blocked or failed sources are listed in one item per checker.
    """
    out: list[ChecklistItem] = []
    brokers: dict[str, list[Check]] = defaultdict(list)
    recorded: dict[str, BrokerOptOut] = {}
    others: dict[str, list[Check]] = defaultdict(list)
    for c in inputs.checks:
        if c.opt_out is not None:
            brokers[c.opt_out.broker_id].append(c)
            recorded[c.opt_out.broker_id] = c.opt_out
        elif c.status in (Outcome.BLOCKED, Outcome.ERROR):
            others[c.checker].append(c)
    for broker_id, checks in sorted(brokers.items()):
        if f"broker:{broker_id}" in existing:
            continue  # the opt-out item covers it
        unsure = [c for c in checks if c.status in (Outcome.BLOCKED, Outcome.ERROR)]
        definite = any(c.status in (Outcome.FOUND, Outcome.ABSENT) for c in checks)
        skipped = [c for c in checks if c.status is Outcome.SKIPPED]
        if unsure:
            why, chosen = "blocked", unsure[0]
        elif skipped and not definite:
            why, chosen = "no_search", skipped[0]
        else:
            continue
        opt = _known_opt_out(recorded[broker_id], inputs)
        name = opt.broker_name
        values: dict[str, object] = {
            "name": name,
            "reason": advice.text("check_broker", why, name=name),
            **hand_commands(inputs.profile.id, broker_id),
        }
        steps = advice.steps("check_broker", **values)
        if chosen.detail:
            steps.insert(1, f"Last scan: {chosen.status.value} — {chosen.detail}")
        if opt.url:
            steps.append(f"Opt-out page: {opt.url}")
        url = chosen.url or opt.url
        out.append(
            ChecklistItem(
                id=f"check:broker:{broker_id}",
                title=advice.text("check_broker", "title", **values),
                priority=3 if why == "blocked" else 4,
                url=url,
                steps=steps,
                category="check",
            )
        )
    for checker, checks in sorted(others.items()):
        values = {"checker": checker, "count": len(checks), **hand_commands(inputs.profile.id)}
        steps = advice.steps("check_sources", **values)
        for c in checks[:MAX_LISTED]:
            steps.append(f"{c.source}: {c.status.value} ({c.detail}) {c.url}".strip())
        if len(checks) > MAX_LISTED:
            steps.append(f"… and {len(checks) - MAX_LISTED} more (`exposure scan --format json`)")
        out.append(
            ChecklistItem(
                id=f"check:{checker}",
                title=advice.text("check_sources", "title", **values),
                priority=4,
                url=checks[0].url,
                steps=steps,
                category="check",
            )
        )
    return out


def _baseline_items(profile: Profile, advice: Advice) -> list[ChecklistItem]:
    out = []
    for entry in advice.baseline():
        if entry.get("guardian_only") and not profile.guardian:
            continue
        out.append(
            ChecklistItem(
                id=f"baseline:{entry['id']}",
                title=str(entry["title"]),
                priority=5,
                url=str(entry.get("url", "")),
                steps=[str(s) for s in entry["steps"]],
                category="guardian" if entry.get("guardian_only") else "baseline",
            )
        )
    return out


# --------------------------------------------------------------------------- state


@dataclass(frozen=True)
class Resolved:
    status: str
    changed: bool  # a transition the store must remember


def resolve(stored: tuple[str, datetime] | None, covered: list[Finding]) -> Resolved:
    """The item's status now, from what the person said and what scans saw (pure)."""
    status, since = stored if stored else ("open", None)
    if not covered:  # baseline and "check by hand" items: only the person decides
        return Resolved("done" if status in ("done", "verified") else "open", False)
    all_gone = all(f.status == "gone" for f in covered)
    if status == "verified":
        if not all_gone:
            return Resolved("relisted", True)
        return Resolved("verified", False)
    if (
        status == "done"
        and since is not None
        and any(
            f.status == "back" and f.last_seen is not None and f.last_seen > since for f in covered
        )
    ):
        return Resolved("relisted", True)
    if all_gone:
        return Resolved("verified", True)
    return Resolved(status if status in STATUSES else "open", False)


def apply_state(
    items: list[ChecklistItem],
    findings: Mapping[str, Finding],
    state: Mapping[str, tuple[str, datetime]],
) -> dict[str, str]:
    """Set each item's status and date; return the transitions to persist (id -> status)."""
    transitions: dict[str, str] = {}
    for item in items:
        covered = [findings[fid] for fid in item.finding_ids if fid in findings]
        stored = state.get(item.id)
        result = resolve(stored, covered)
        item.status = result.status
        item.changed_at = stored[1] if stored else None
        if result.changed:
            transitions[item.id] = result.status
        if item.status == "done" and covered and any(f.status != "gone" for f in covered):
            last = max((f.last_seen for f in covered if f.last_seen), default=None)
            if last is not None and stored and last > stored[1]:
                item.steps.append(
                    f"Still listed at the last scan ({iso(last)}): removals take time; "
                    "if it stays, repeat the request."
                )
    return transitions


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
) -> list[ChecklistItem]:
    """The profile's checklist with statuses; transitions are saved unless ``persist`` is off.

    ``brokers`` and ``accounts`` default to the installed catalogues (the
    JustDeleteMe cache from ``exposure sources update``, when there is one).
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
        for item_id, status in transitions.items():
            store.set_checklist_state(profile.id, item_id, status)
        fresh = store.checklist_state(profile.id)
        for item in items:
            if item.id in transitions:
                item.changed_at = fresh[item.id][1]
    _attach_requests(store, profile, items)
    return items


def _attach_requests(store: Store, profile: Profile, items: list[ChecklistItem]) -> None:
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
    )


def mark(
    store: Store,
    profile: Profile,
    item_id: str,
    *,
    done: bool,
    threshold: float = 0.0,
    **catalogues: Any,
) -> ChecklistItem:
    """Mark an item done (or undo it: open again). Unknown ids raise UsageError (exit 2)."""
    items = {i.id: i for i in checklist(store, profile, threshold=threshold, **catalogues)}
    item = items.get(item_id)
    if item is None:
        raise UsageError(
            f"no checklist item {item_id!r} for profile {profile.id!r} "
            "(see `exposure checklist --profile " + profile.id + "` for the ids)"
        )
    store.set_checklist_state(profile.id, item_id, "done" if done else "open")
    item.status = "done" if done else "open"
    item.changed_at = store.checklist_state(profile.id)[item_id][1]
    return item
