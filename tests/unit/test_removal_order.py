"""Removal order: California's DROP first, a network collapsed under its parent, and
home addresses before ages (issue 16 items 3 and 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from findings_kit import typed

from exposure.catalogues.brokers import Broker, BrokerCatalogue, OptOut, load_brokers, parse_brokers
from exposure.engine import checklist as cl
from exposure.engine.removal import target_for
from exposure.engine.removal_order import grouped_under
from exposure.engine.request_log import DROP_ITEM
from exposure.engine.request_rules import load_rules
from exposure.errors import UsageError
from exposure.model import ChecklistItem, Finding, FindingKind, Profile


def broker(bid: str, country: str = "US", **extra: object) -> Broker:
    return Broker(
        id=bid,
        name=bid.title(),
        country=country,
        url=f"https://{bid}.example.test/",
        search_url=f"https://{bid}.example.test/s?q={{full_name}}",
        phone_search_url=None,
        email_search_url=None,
        opt_out_url=f"https://{bid}.example.test/optout",
        opt_out=OptOut(method="web-form"),
        **extra,  # type: ignore[arg-type]
    )


CATALOGUE = BrokerCatalogue(
    brokers=[
        broker("registered", ca_registry=True),
        broker("unregistered"),
        broker("abroad", country="GB"),
        broker("peoplenet", network="peoplenet", parent="PeopleNet Inc"),
        broker("frontone", network="peoplenet", parent="PeopleNet Inc"),
        broker("fronttwo", network="peoplenet", parent="PeopleNet Inc"),
        broker("solo", network="solonet"),  # a network of one is just the site
    ]
)


def listing(source: str, *exposes: str, key: str = "r1") -> Finding:
    return replace(
        typed(
            Finding(
                checker="brokers",
                source=source,
                kind=FindingKind.PERSON_RECORD,
                key=f"{source}:{key}",
                url=f"https://{source}.example.test/{key}",
                confidence=0.9,
                matched={"exposes": list(exposes), "broker_id": source},
            )
        ),
        id=f"{source}-{key}",
        first_seen=datetime(2026, 3, 1, tzinfo=UTC),
    )


def person(*locations: str) -> Profile:
    return Profile(id="jane", names=["Jane Doe"], locations=list(locations))


def build(profile: Profile, *findings: Finding) -> list[ChecklistItem]:
    return cl.build_items(cl.Inputs(profile=profile, findings=list(findings), brokers=CATALOGUE))


def removal(items: list[ChecklistItem]) -> list[ChecklistItem]:
    return [i for i in items if i.category in ("drop", "network", "broker", "source")]


ALL = (
    listing("registered", "age"),
    listing("unregistered", "home_address"),
    listing("abroad", "phone"),
)


# --------------------------------------------------------------------------- DROP


def test_drop_is_the_first_removal_item_for_a_california_profile() -> None:
    items = build(person("Oakland, CA 94607"), *ALL)
    first = removal(items)[0]
    assert first.id == DROP_ITEM and first.category == "drop" and first.priority == 1
    drop = load_rules().drop
    assert drop is not None and first.url == drop.url
    text = "\n".join(first.steps)
    assert "1 January 2026" in text and "every 45 days from 1 August 2026" in text
    assert "not registered" in text and "public government records" in text  # what it misses
    assert "Registered brokers that list you now: Registered." in text


@pytest.mark.parametrize("where", ["Austin, TX 78701", "Leeds, UK", "Atlantis", ""])
def test_drop_is_absent_for_a_profile_outside_california(where: str) -> None:
    items = build(person(where) if where else person(), *ALL)
    assert DROP_ITEM not in {i.id for i in items}
    assert not any("DROP" in s for i in items for s in i.steps)


def test_broker_items_say_whether_drop_covers_them() -> None:
    items = {i.id: i for i in build(person("San Jose, California"), *ALL)}
    registered, unregistered = items["broker:registered"], items["broker:unregistered"]
    assert registered.steps[0].startswith("Covered by your DROP request (drop:california)")
    assert registered.covered_by == [DROP_ITEM]
    assert unregistered.steps[0].startswith("May be covered by your DROP request")
    assert "https://cppa.ca.gov/data_broker_registry/" in unregistered.steps[0]
    assert unregistered.covered_by == []
    assert not any("DROP" in s for s in items["broker:abroad"].steps)  # a UK site


def test_the_catalogue_marks_registered_brokers_and_refuses_a_non_boolean() -> None:
    bundled = load_brokers()
    marked = {b.id for b in bundled if b.ca_registry}
    assert {"spokeo", "intelius", "acxiom"} <= marked
    assert not {"radaris", "zabasearch", "192com"} & marked  # not in the registry we have
    entry = '[[broker]]\nid = "x"\nname = "X"\nurl = "https://x.example/"\nca_registry = "yes"\n'
    with pytest.raises(UsageError, match="ca_registry must be true or false"):
        parse_brokers(entry, "mine.toml")


# --------------------------------------------------------------------------- networks


def test_a_network_is_collapsed_under_its_parent() -> None:
    found = (
        listing("frontone", "age"),
        listing("fronttwo", "home_address"),
        listing("unregistered", "phone"),
    )
    items = build(person("Austin, TX"), *found)
    ids = [i.id for i in removal(items)]
    net = ids.index("network:peoplenet")
    # the parent's one request first, its members right under it, then the single site
    assert ids[net : net + 3] == ["network:peoplenet", "broker:fronttwo", "broker:frontone"]
    head = items[[i.id for i in items].index("network:peoplenet")]
    assert head.priority == 1 and "PeopleNet Inc" in head.title
    assert sorted(head.finding_ids) == sorted(f.id for f in found[:2])
    members = [i for i in items if grouped_under(i) == "network:peoplenet"]
    assert {m.id for m in members} == {"broker:frontone", "broker:fronttwo"}
    assert all(m.steps[0].startswith("Covered by the PeopleNet Inc request") for m in members)
    target = target_for(head, list(found[:2]), CATALOGUE)
    assert target.organisation == "PeopleNet Inc"
    assert set(target.covers) == {"Peoplenet", "Frontone", "Fronttwo"}


def test_reports_show_a_network_s_members_under_it() -> None:
    from exposure.reports.html import _checklist_row
    from exposure.reports.markdown import checklist_markdown

    found = (listing("frontone", "age"), listing("fronttwo", "home_address"))
    items = build(person("Austin, TX"), *found)
    lines = checklist_markdown("jane", items).splitlines()
    head = next(n for n, line in enumerate(lines) if "`network:peoplenet`" in line)
    member = next(n for n, line in enumerate(lines) if "`broker:frontone`" in line)
    assert lines[head].startswith("- [ ] ") and lines[member].startswith("  - [ ] ")
    assert member > head  # nested under the network's entry, not beside it
    rows = {i.id: _checklist_row(i) for i in items}
    assert 'class="p1 member"' in rows["broker:fronttwo"]
    assert "covered by network:peoplenet" in rows["broker:fronttwo"]
    assert "member" not in rows["network:peoplenet"]


def test_a_one_site_network_is_not_a_network_item() -> None:
    items = build(person("Austin, TX"), listing("solo", "age"))
    assert not any(i.category == "network" for i in items)
    assert {i.id for i in items if i.category == "broker"} == {"broker:solo"}


def test_a_home_address_comes_before_a_phone_and_an_age() -> None:
    found = (
        listing("aaa-phone", "phone"),
        listing("zzz-address", "home_address"),
        listing("bbb-age", "age"),
    )
    catalogue = BrokerCatalogue(brokers=[broker(f.source) for f in found])
    items = cl.build_items(
        cl.Inputs(profile=person("Austin, TX"), findings=list(found), brokers=catalogue)
    )
    ids = [i.id for i in removal(items)]
    assert ids == ["broker:zzz-address", "broker:aaa-phone", "broker:bbb-age"]
