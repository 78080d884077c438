"""Removal in the order that clears most, soonest: DROP, then networks, then single sites.

:func:`plan` adds the removal items one request covers many sites with, and
says on each site's item which of them covers it:

* ``drop:california`` — for a person in California (a location or address
  there), California's Delete Request and Opt-out Platform. Its facts (what
  it covers and what not, when it opened, how often brokers must process it)
  come from ``data/requests.toml [drop]``. A broker item says "covered by
  your DROP request" when the catalogue marks the broker ``ca_registry``,
  "may be covered" for another US broker, and nothing for one abroad.
* ``network:<id>`` — one request to a parent company that runs several
  catalogued sites (PeopleConnect: Intelius, Instant Checkmate, TruthFinder,
  US Search). It covers the findings of every member found; the members'
  own items stay and are grouped under it.

:func:`ordered` sorts by priority (what the listings expose: a home address
or phone is priority 1, an age 2), then by reach (DROP, a network, a single
site: the checklist's category order), then by the worst thing exposed (home
address before phone before age), and puts each network's members right
after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from exposure.engine.request_log import DROP_ITEM
from exposure.engine.shown_commands import item_commands
from exposure.model import ChecklistItem, Exposes, Finding, Profile

if TYPE_CHECKING:
    from exposure.catalogues.brokers import Broker, BrokerCatalogue
    from exposure.engine.checklist import Advice
    from exposure.engine.request_rules import Drop, RequestRules

_HARM = tuple(Exposes)  # the enum is in harm order: home address first


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def plan(
    items: dict[str, ChecklistItem],
    profile: Profile,
    brokers: BrokerCatalogue | None,
    advice: Advice,
    rules: RequestRules | None = None,
) -> None:
    """Add the DROP and network items to ``items`` and mark what each covers."""
    from exposure.engine.request_rules import in_california, load_rules

    if brokers is not None:
        _networks(items, brokers, advice, profile.id)
    rules = rules or load_rules()
    if rules.drop is not None and in_california(profile, rules):
        items[DROP_ITEM] = _drop_item(items, profile, brokers, advice, rules.drop)


def _broker_of(item: ChecklistItem, brokers: BrokerCatalogue | None) -> Broker | None:
    if item.category != "broker" or brokers is None:
        return None
    return brokers.get(item.id.partition(":")[2])


def _networks(
    items: dict[str, ChecklistItem], brokers: BrokerCatalogue, advice: Advice, profile_id: str
) -> None:
    found: dict[str, list[tuple[ChecklistItem, Broker]]] = {}
    for item in items.values():
        broker = _broker_of(item, brokers)
        if broker is not None and broker.network:
            found.setdefault(broker.network, []).append((item, broker))
    for network, pairs in sorted(found.items()):
        members = [m for m, _ in pairs]
        catalogued = [b for b in brokers if b.network == network]
        if len(catalogued) < 2:
            continue  # a "network" of one site is just that site
        head = next((b for b in catalogued if b.id == network), catalogued[0])
        parent = head.parent or head.name
        item_id = f"network:{network}"
        names = [b.name for b in catalogued]
        values = {
            "parent": parent,
            "members": ", ".join(names),
            "found": ", ".join(b.name for _, b in pairs),
            "url": head.opt_out_url or head.url,
            "id": item_id,
            **item_commands(profile_id, item_id),
        }
        items[item_id] = ChecklistItem(
            id=item_id,
            title=advice.text("network", "title", **values),
            priority=min(m.priority for m in members),
            finding_ids=sorted({fid for m in members for fid in m.finding_ids}),
            url=head.opt_out_url or head.url,
            steps=advice.steps("network", **values),
            category="network",
        )
        for m in members:
            m.covered_by.insert(0, item_id)
            m.steps.insert(0, advice.text("network", "covered", **values))


def _drop_item(
    items: dict[str, ChecklistItem],
    profile: Profile,
    brokers: BrokerCatalogue | None,
    advice: Advice,
    drop: Drop,
) -> ChecklistItem:
    covered: list[str] = []
    for item in items.values():
        broker = _broker_of(item, brokers)
        if broker is None or broker.country not in ("US", ""):
            continue  # DROP is for brokers doing business in California
        facts = {
            "name": broker.name,
            "item": DROP_ITEM,
            "registry": drop.registry_url,
            "processing_from": _day(drop.processing_from),
        }
        if broker.ca_registry:
            item.covered_by.append(DROP_ITEM)
            item.steps.insert(0, advice.text("drop_coverage", "covered", **facts))
            covered.append(broker.name)
        else:
            item.steps.insert(0, advice.text("drop_coverage", "maybe", **facts))
    values: dict[str, object] = {
        "name": drop.name,
        "url": drop.url,
        "covers": drop.covers,
        "open_since": _day(drop.open_since),
        "processing_from": _day(drop.processing_from),
        "interval": drop.interval_days,
        "source": drop.law.source,
        "item": DROP_ITEM,
        **item_commands(profile.id, DROP_ITEM),
    }
    steps = advice.steps("drop", **values)
    steps.insert(1, advice.text("drop", "not_covered", what="; ".join(drop.does_not_cover)))
    if covered:
        steps.insert(2, advice.text("drop", "found", names=", ".join(sorted(covered))))
    return ChecklistItem(
        id=DROP_ITEM,
        title=advice.text("drop", "title", **values),
        priority=1,
        url=drop.url,
        steps=steps,
        category="drop",
    )


# --------------------------------------------------------------------------- order


def _harm(item: ChecklistItem, findings: Mapping[str, Finding]) -> int:
    shown = {e for fid in item.finding_ids if (f := findings.get(fid)) for e in f.exposes}
    return min((_HARM.index(e) for e in shown), default=len(_HARM))


def ordered(
    items: Iterable[ChecklistItem],
    findings: Iterable[Finding],
    categories: Sequence[str],
) -> list[ChecklistItem]:
    """Priority, then category (``categories`` puts DROP and networks before single
    sites: reach), then the worst thing exposed; members follow the network request
    that covers them."""
    by_id = {f.id: f for f in findings}

    def key(item: ChecklistItem) -> tuple[int, int, int, str]:
        cat = categories.index(item.category) if item.category in categories else 99
        return (item.priority, cat, _harm(item, by_id), item.id)

    flat = sorted(items, key=key)
    present = {i.id for i in flat if i.category == "network"}
    members: dict[str, list[ChecklistItem]] = {}
    out: list[ChecklistItem] = []
    for item in flat:
        head = grouped_under(item)
        if head in present:
            members.setdefault(head, []).append(item)
    for item in flat:
        if grouped_under(item) in present:
            continue
        out.append(item)
        out.extend(members.get(item.id, []))
    return out


def grouped_under(item: ChecklistItem) -> str:
    """The network request this item is shown under ("" when it stands alone)."""
    return next((c for c in item.covered_by if c.startswith("network:")), "")
