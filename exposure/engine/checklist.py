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
from typing import TYPE_CHECKING, Any

from exposure.engine.score import exposed_fields
from exposure.errors import UsageError
from exposure.model import Check, ChecklistItem, Finding, FindingKind, Outcome, Profile, iso

if TYPE_CHECKING:
    from exposure.catalogues.accounts import AccountsCatalogue
    from exposure.engine.store import Store

log = logging.getLogger(__name__)

STATUSES = ("open", "done", "verified", "relisted")
CATEGORY_ORDER = (
    "impostor",
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
    brokers: Any | None = None  # exposure.catalogues.brokers.BrokerCatalogue, when available
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
    return sorted(items.values(), key=_order)


def _order(item: ChecklistItem) -> tuple[int, int, str]:
    cat = CATEGORY_ORDER.index(item.category) if item.category in CATEGORY_ORDER else 99
    return (item.priority, cat, item.id)


def _broker_of(f: Finding, inputs: Inputs) -> Any | None:
    """The finding's broker: from the catalogue, else as the finding recorded it."""
    return _catalogued_broker(f, inputs) or _recorded_broker(f)


def _recorded_broker(f: Finding) -> Any | None:
    """The broker's opt-out facts stored in the finding (a scan with ``--brokers FILE``)."""
    info = f.matched.get("opt_out")
    if f.checker != "brokers" or not isinstance(info, dict):
        return None
    from exposure.catalogues.brokers import Broker, OptOut

    days = info.get("days")
    url = str(info.get("url") or "")
    return Broker(
        id=f.source,
        name=str(f.matched.get("broker_name") or f.source),
        country="",
        url=url,
        search_url=None,
        phone_search_url=None,
        email_search_url=None,
        opt_out_url=url,
        opt_out=OptOut(
            method=str(info.get("method") or "web-form"),
            requires=tuple(str(r) for r in info.get("requires") or ()),
            days=days if isinstance(days, int) else None,
            notes=str(info.get("notes") or ""),
            email=str(info.get("email") or ""),
        )
        # A broker entry without an opt-out (recorded as method None): find it on the site.
        if "method" not in info or info["method"]
        else None,
        relists=bool(info.get("relists")),
    )


def _catalogued_broker(f: Finding, inputs: Inputs) -> Any | None:
    if inputs.brokers is None:
        return None
    candidates = [f.matched.get("broker_id"), f.matched.get("catalogue_entry")]
    if f.checker == "brokers":
        candidates.insert(0, f.source)
    for cand in candidates:
        if isinstance(cand, str) and cand:
            try:
                broker = inputs.brokers.get(cand)
            except Exception:  # a catalogue of another shape: no broker
                broker = None
            if broker is not None:
                return broker
    return None


def _is_own(f: Finding, inputs: Inputs) -> bool:
    verdict = inputs.verdicts.get(f.id)
    return verdict == "me" or bool(f.matched.get("own"))


def _item_id(f: Finding, inputs: Inputs) -> str:
    if f.kind in BROKER_KINDS or f.checker == "brokers":
        broker_id = f.matched.get("broker_id") or f.source
        return f"broker:{broker_id}"
    if f.kind is FindingKind.SEARCH_RESULT:
        broker = _broker_of(f, inputs)
        if broker is not None:
            return f"broker:{broker.id}"
    if f.kind is FindingKind.ACCOUNT and "own" in f.matched:
        if _is_own(f, inputs):
            return f"account:{slug(str(f.matched.get('site') or f.source))}"
        return f"impostor:{f.id}"
    if f.kind is FindingKind.BREACH:
        return f"breach:{slug(str(f.matched.get('breach') or f.source))}"
    if f.kind is FindingKind.PASSWORD:
        return f"password:{f.id}"
    where = str(f.matched.get("domain") or f.source)
    return f"source:{f.checker}:{slug(where)}"


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


def _exposes(group: Iterable[Finding]) -> set[str]:
    out: set[str] = set()
    for f in group:
        out |= exposed_fields(f)
    return out


def _broker_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    broker = _broker_of(group[0], inputs)
    exposes = _exposes(group)
    if exposes & {"home_address", "phone"}:
        priority = 1
    elif any(f.kind is FindingKind.PERSON_RECORD for f in group) or exposes & {"relatives", "age"}:
        priority = 2
    else:
        priority = 3
    broker_id = item_id.split(":", 1)[1]
    if broker is None or broker.opt_out is None:
        # No opt-out known (a broker the person added with just its search URL).
        name = broker.name if broker is not None else broker_id
        url = (broker.opt_out_url if broker is not None else "") or group[0].url
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
    opt = broker.opt_out
    requires = ", ".join(r.replace("-", " ") for r in (opt.requires or ())) or "nothing more"
    days = opt.days if opt.days is not None else "an unknown number of"
    values = {
        "name": broker.name,
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
    if getattr(broker, "relists", False):
        steps.append(advice.text("broker", "relists", **values))
    shown = sorted(e.replace("_", " ") for e in exposes)
    if shown:
        steps.insert(0, f"It shows your {', '.join(shown)} ({len(group)} record(s)).")
    return ChecklistItem(
        id=item_id,
        title=advice.text("broker", "title", **values),
        priority=priority,
        url=broker.opt_out_url or broker.url,
        steps=steps,
    )


def _impostor_item(
    item_id: str, group: list[Finding], inputs: Inputs, advice: Advice
) -> ChecklistItem:
    f = group[0]
    values = {
        "site": f.matched.get("site") or f.source,
        "username": f.matched.get("username") or "",
        "url": f.url,
    }
    # An account under a username made from the person's names (scan --variants).
    section = "variant_account" if f.matched.get("variant") else "impostor"
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
    site = str(f.matched.get("site") or f.source)
    names = sorted({str(g.matched.get("username")) for g in group if g.matched.get("username")})
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
    m = group[0].matched
    classes: list[str] = []
    for f in group:
        for c in f.matched.get("data_classes") or []:
            if str(c) not in classes:
                classes.append(str(c))
    emails = sorted({str(f.matched.get("email")) for f in group if f.matched.get("email")})
    has_passwords = any("password" in c.lower() for c in classes)
    values = {
        "breach": m.get("title") or m.get("breach") or group[0].source,
        "date": m.get("breach_date") or "date unknown",
        "emails": ", ".join(emails) or "your account",
        "classes": ", ".join(classes) or "details not listed",
    }
    steps = advice.steps("breach", **values)
    if not has_passwords:
        steps.insert(1, advice.text("breach", "no_passwords", **values))
    domain = str(m.get("domain") or "").lower()
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
    m = group[0].matched
    count = m.get("count") or m.get("seen") or m.get("pwned_count") or 0
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if count > 0:
        return ChecklistItem(
            id=item_id,
            title=advice.text("password", "title"),
            priority=1,
            url="",
            steps=advice.steps("password", count=count),
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
    source = str(f.matched.get("domain") or f.source)
    key = {
        FindingKind.SEARCH_RESULT: "search_result",
        FindingKind.PUBLIC_KEY: "public_key",
        FindingKind.PROFILE: "profile",
        FindingKind.ACCOUNT: "account",
    }.get(f.kind, "profile")
    if f.checker == "rdap":
        key = "rdap"
    values = {"source": source, "url": f.url}
    values["what"] = advice.text("source", key, **values)
    exposes = _exposes(group)
    priority = 2 if exposes & {"home_address", "phone"} else 3
    steps = advice.steps("source", **values)
    shown = sorted(e.replace("_", " ") for e in exposes)
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
    others: dict[str, list[Check]] = defaultdict(list)
    for c in inputs.checks:
        if c.checker == "brokers":
            brokers[c.source].append(c)
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
        broker = None
        if inputs.brokers is not None:
            try:
                broker = inputs.brokers.get(broker_id)
            except Exception:
                broker = None
        name = broker.name if broker is not None else broker_id
        values = {"name": name, "reason": advice.text("check_broker", why, name=name)}
        steps = advice.steps("check_broker", **values)
        if chosen.detail:
            steps.insert(1, f"Last scan: {chosen.status.value} — {chosen.detail}")
        if broker is not None and broker.opt_out_url:
            steps.append(f"Opt-out page: {broker.opt_out_url}")
        url = chosen.url or (broker.opt_out_url if broker is not None else "")
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
        values = {"checker": checker, "count": len(checks)}
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


def _load_brokers() -> Any | None:
    try:
        from exposure.catalogues.brokers import load_brokers
    except ImportError:
        return None
    try:
        return load_brokers()
    except Exception as exc:  # a broken user file must not take the checklist down
        log.warning("broker catalogue unavailable for the checklist: %s", exc)
        return None


def checklist(
    store: Store,
    profile: Profile,
    *,
    threshold: float = 0.0,
    brokers: Any | None = None,
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
