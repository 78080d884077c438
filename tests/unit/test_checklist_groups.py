"""A checklist for a common username: groups by what items expose, many accounts folded.

The scene of issue 13 item 10: 411 accounts under a common username, a
people-search listing of the home address, a breach. Before, that gave one
"urgent" item per account, in no useful order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_checklist import ADDRESS_RECORD, CATALOGUE, JANE, items, record, scan

from exposure.engine import checklist as cl
from exposure.engine.checklist_groups import FOLD_AT, by_group
from exposure.engine.store import Store
from exposure.errors import UsageError
from exposure.model import Finding, FindingKind, ItemGroup

COMMON = 411


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as s:
        yield s


def account(n: int, username: str = "jd", **kw: object) -> Finding:
    site = f"Site{n:03d}"
    return record(
        FindingKind.ACCOUNT,
        "sites",
        site,
        f"{site.lower()}:{username}",
        own=False,
        site=site,
        username=username,
        **kw,
    )


BREACH = record(
    FindingKind.BREACH,
    "hibp",
    "HIBP",
    "Adobe:jane@example.test",
    breach="Adobe",
    title="Adobe",
    date="2013-10-04",
    domain="adobe.com",
    email="jane@example.test",
    data_classes=["Email addresses", "Passwords"],
    leaked_passwords=True,
)
AGE_ONLY = record(
    FindingKind.PERSON_RECORD, "brokers", "lookupz", "a1", exposes=["age"], broker_id="lookupz"
)


def listed(store: Store) -> list[object]:
    return list(items(store).values())


def test_many_accounts_under_one_username_fold_into_one_item(store: Store) -> None:
    scan(store, [AGE_ONLY, *(account(n) for n in range(COMMON)), BREACH, ADDRESS_RECORD])
    got = listed(store)
    folded = [i for i in got if i.category == "accounts"]
    assert [i.id for i in folded] == ["accounts:jd"]
    [group] = folded
    assert len(group.members) == COMMON and len(group.finding_ids) == COMMON
    assert all(m.id.startswith("impostor:") for m in group.members)
    assert not [i for i in got if i.category == "impostor"]  # none left loose
    assert f"{COMMON} accounts under your username" in group.title and '"jd"' in group.title
    assert group.priority == 3  # not "urgent"
    urgent = [i for i in got if i.priority == 1]
    assert len(urgent) < 10, [i.id for i in urgent]
    assert any("checklist not-mine accounts:jd --profile jane" in s for s in group.steps)
    assert len(got) < 40


def test_groups_come_home_address_first_then_breaches_then_accounts(store: Store) -> None:
    scan(store, [AGE_ONLY, *(account(n) for n in range(COMMON)), BREACH, ADDRESS_RECORD])
    got = listed(store)
    order = [g for g, _ in by_group(got)]
    assert order == sorted(order, key=list(ItemGroup).index)  # each group once, in order
    assert order[:3] == [ItemGroup.HOME, ItemGroup.BREACHES, ItemGroup.ACCOUNTS]
    home = dict(by_group(got))[ItemGroup.HOME]
    assert [i.id for i in home] == ["broker:peoplefinderz"]
    assert "breach:adobe" in [i.id for i in dict(by_group(got))[ItemGroup.BREACHES]]
    # an age-only listing is not "where you live": it comes later, with other details
    assert "broker:lookupz" in [i.id for i in dict(by_group(got))[ItemGroup.OTHER]]
    for _, members in by_group(got):
        assert [i.priority for i in members] == sorted(i.priority for i in members)


def test_a_few_accounts_stay_one_item_each(store: Store) -> None:
    scan(store, [account(n) for n in range(FOLD_AT - 1)])
    got = listed(store)
    assert not [i for i in got if i.category == "accounts"]
    assert len([i for i in got if i.category == "impostor"]) == FOLD_AT - 1


def test_each_username_and_a_name_variant_fold_apart(store: Store) -> None:
    accounts = [account(n) for n in range(4)]
    accounts += [account(n, username="jane.doe", variant=True) for n in range(5)]
    scan(store, accounts)
    got = items(store)
    assert len(got["accounts:jd"].members) == 4
    variant = got["accounts:variant:jane-doe"]
    assert len(variant.members) == 5 and "made from your name" in variant.title


def test_done_on_the_folded_item_marks_every_member_and_members_keep_their_ids(
    store: Store,
) -> None:
    scan(store, [account(n) for n in range(5)])
    group = items(store)["accounts:jd"]
    one = group.members[0].id
    cl.mark(store, JANE, one, done=True, brokers=CATALOGUE)
    assert items(store)["accounts:jd"].members[0].status == "done"
    assert store.checklist_state("jane")[one][0] == "done"
    marked = cl.mark(store, JANE, "accounts:jd", done=True, brokers=CATALOGUE)
    assert marked.status == "done" and {m.status for m in marked.members} == {"done"}
    again = items(store)["accounts:jd"]  # read back from the store
    assert again.status == "done" and {m.status for m in again.members} == {"done"}
    cl.mark(store, JANE, "accounts:jd", done=False, brokers=CATALOGUE)
    assert {m.status for m in items(store)["accounts:jd"].members} == {"open"}


def test_not_mine_for_all_clears_the_group_and_mine_makes_own_accounts(store: Store) -> None:
    scan(store, [account(n) for n in range(5)])
    assert cl.decide(store, JANE, "accounts:jd", cl.AccountVerdict.NOT_MINE, brokers=CATALOGUE) == 5
    assert set(store.verdicts("jane").values()) == {"not_me"}
    got = items(store)
    assert "accounts:jd" not in got and not [i for i in got.values() if i.group.value == "accounts"]
    assert len(store.findings("jane", include_rejected=True)) == 5  # nothing recorded is lost
    for fid in store.verdicts("jane"):
        store.set_verdict("jane", fid, None)
    assert cl.decide(store, JANE, "accounts:jd", cl.AccountVerdict.MINE, brokers=CATALOGUE) == 5
    got = items(store)
    assert "accounts:jd" not in got
    assert len([i for i in got.values() if i.category == "account"]) == 5


def test_mine_is_refused_for_a_record_or_an_unknown_item(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    with pytest.raises(UsageError, match="not an account item"):
        cl.decide(store, JANE, "broker:peoplefinderz", cl.AccountVerdict.NOT_MINE)
    with pytest.raises(UsageError, match="no checklist item 'accounts:nobody'"):
        cl.decide(store, JANE, "accounts:nobody", cl.AccountVerdict.NOT_MINE)
    assert store.verdicts("jane") == {}
