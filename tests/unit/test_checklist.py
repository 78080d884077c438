"""Checklist items for every finding kind, the advice file, and the state cycle across rescans.

Findings and checks are recorded through the real Store API, the way a scan
records them; the broker catalogue is built in the test.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from findings_kit import typed

from exposure.catalogues.accounts import (
    AccountsDataError,
    load_accounts,
    parse_accounts,
)
from exposure.catalogues.brokers import Broker, BrokerCatalogue, OptOut
from exposure.engine import checklist as cl
from exposure.engine.store import Store
from exposure.errors import UsageError
from exposure.model import BrokerOptOut, Capture, Check, Finding, FindingKind, Outcome, Profile

JANE = Profile(id="jane", names=["Jane Doe"], emails=["jane@example.test"])


def broker(bid: str, *, search: bool = True, relists: bool = False) -> Broker:
    return Broker(
        id=bid,
        name=bid.title(),
        country="US",
        url=f"https://{bid}.example.test/",
        search_url=f"https://{bid}.example.test/s?q={{full_name}}" if search else None,
        phone_search_url=None,
        email_search_url=None,
        opt_out_url=f"https://{bid}.example.test/optout",
        opt_out=OptOut(
            method="web-form",
            requires=("email-verification", "captcha"),
            days=7,
            notes="",
            email="",
        ),
        relists=relists,
    )


CATALOGUE = BrokerCatalogue(
    brokers=[
        broker("peoplefinderz", relists=True),
        broker("lookupz"),
        broker("walled"),
        broker("nosearch", search=False),
    ]
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "db.sqlite", tmp_path / "evidence") as s:
        yield s


def record(kind: FindingKind, checker: str, source: str, key: str, **matched: object) -> Finding:
    return typed(
        Finding(
            checker=checker,
            source=source,
            kind=kind,
            key=key,
            url=f"https://{source.lower()}.example.test/{key}",
            confidence=0.9,
            reasons=["name 0.97"],
            matched=dict(matched),
            title=f"{source} {key}",
            capture=Capture(
                f"page {source} {key}".encode(), "https://x.test/a", "https://x.test/a"
            ),
        )
    )


def broker_check(source: str, status: Outcome, url: str = "", detail: str = "") -> Check:
    """A check of a people-search site, as the brokers checker records it."""
    opt_out = BrokerOptOut(broker_id=source, broker_name=source, method="")
    return Check("brokers", source, status, url=url, detail=detail, opt_out=opt_out)


def scan(
    store: Store, findings: list[Finding], checks: list[Check] | None = None, profile: str = "jane"
) -> int:
    """One finished scan: every finding's source checked 'found', plus ``checks``."""
    summary = store.begin_scan(profile, ["brokers", "sites"])
    for c in checks or []:
        store.record_check(summary.scan_id, c)
    for f in findings:
        store.record_check(summary.scan_id, Check(f.checker, f.source, Outcome.FOUND))
        store.record_finding(summary.scan_id, profile, f)
    store.finish_scan(summary)
    return summary.scan_id


def items(store: Store, profile: Profile = JANE, **kw: object) -> dict[str, object]:
    kw.setdefault("brokers", CATALOGUE)
    return {i.id: i for i in cl.checklist(store, profile, **kw)}  # type: ignore[arg-type]


ADDRESS_RECORD = record(
    FindingKind.PERSON_RECORD,
    "brokers",
    "peoplefinderz",
    "r1",
    exposes=["home_address", "phone"],
    broker_id="peoplefinderz",
)


# --------------------------------------------------------------------------- one kind at a time


def test_broker_records_make_one_opt_out_item_per_broker(store: Store) -> None:
    second = record(
        FindingKind.PERSON_RECORD,
        "brokers",
        "peoplefinderz",
        "r2",
        exposes=["age"],
        broker_id="peoplefinderz",
    )
    scan(store, [ADDRESS_RECORD, second])
    got = items(store)
    item = got["broker:peoplefinderz"]
    assert item.priority == 1  # a home address on a people-search site
    assert item.category == "broker" and item.status == "open"
    assert len(item.finding_ids) == 2
    assert item.url == "https://peoplefinderz.example.test/optout"
    text = " ".join(item.steps)
    assert "web form" in text and "email verification, captcha" in text
    assert "7 day" in text
    assert "confirmation email" in text and "screenshot" in text
    assert "re-list" in text  # relists = true
    assert "home address, phone" in text


def test_email_only_linked_record_is_lower_priority(store: Store) -> None:
    linked = record(
        FindingKind.LINKED_RECORD,
        "brokers",
        "lookupz",
        "l1",
        exposes=["email"],
        broker_id="lookupz",
    )
    scan(store, [linked])
    item = items(store)["broker:lookupz"]
    assert item.priority == 3
    assert "re-list" not in " ".join(item.steps)


def test_broker_missing_from_the_catalogue_still_gets_an_item(store: Store) -> None:
    scan(
        store, [record(FindingKind.PERSON_RECORD, "brokers", "gone-broker", "x", exposes=["phone"])]
    )
    item = items(store)["broker:gone-broker"]
    assert item.priority == 1 and item.url.startswith("https://gone-broker.example.test/")


def test_broker_from_a_one_off_catalogue_keeps_its_opt_out_facts(store: Store) -> None:
    opt_out = {
        "url": "https://oneoff.example.test/optout",
        "method": "email",
        "requires": ["id"],
        "days": 12,
        "email": "privacy@oneoff.example.test",
        "notes": "",
        "relists": True,
    }
    scan(
        store,
        [
            record(
                FindingKind.PERSON_RECORD,
                "brokers",
                "oneoff",
                "x",
                exposes=["phone"],
                broker_name="One Off",
                opt_out=opt_out,
            )
        ],
    )
    item = items(store)["broker:oneoff"]
    assert item.url == "https://oneoff.example.test/optout"
    text = " ".join(item.steps)
    assert "12" in text and "privacy@oneoff.example.test" in text
    assert "some day" not in text


def test_broker_added_without_an_opt_out_says_find_it_on_the_site(store: Store) -> None:
    # A broker the person added with only id, name and search_url.
    opt_out = {"url": "", "method": None, "relists": False}
    scan(
        store,
        [
            record(
                FindingKind.PERSON_RECORD,
                "brokers",
                "mysite",
                "x",
                exposes=["phone"],
                broker_name="My Site",
                opt_out=opt_out,
            )
        ],
    )
    item = items(store)["broker:mysite"]
    assert item.steps[0].startswith("Find the opt-out or privacy page of My Site")
    assert "Opt-out method" not in " ".join(item.steps)


def test_blocked_and_unsearchable_brokers_are_checked_by_hand(store: Store) -> None:
    checks = [
        broker_check(
            "walled",
            Outcome.BLOCKED,
            url="https://walled.example.test/s?q=Jane",
            detail="Cloudflare challenge",
        ),
        broker_check(
            "nosearch",
            Outcome.SKIPPED,
            url="https://nosearch.example.test/",
            detail="no public search",
        ),
        broker_check("lookupz", Outcome.ABSENT),
        broker_check("peoplefinderz", Outcome.BLOCKED, url="https://p/"),
        Check("sites", "Walledsite", Outcome.BLOCKED, url="https://walledsite.test/u/jd"),
        Check("sites", "Fine", Outcome.ABSENT),
    ]
    scan(store, [ADDRESS_RECORD], checks)
    got = items(store)
    walled = got["check:broker:walled"]
    assert walled.priority == 3 and walled.url == "https://walled.example.test/s?q=Jane"
    assert any("Cloudflare challenge" in s for s in walled.steps)
    assert any("https://walled.example.test/optout" in s for s in walled.steps)
    assert got["check:broker:nosearch"].priority == 4
    assert "check:broker:lookupz" not in got  # a definite answer: nothing to check
    assert "check:broker:peoplefinderz" not in got  # the opt-out item covers it
    sites = got["check:sites"]
    assert any("Walledsite" in s for s in sites.steps)
    assert not any("Fine" in s for s in sites.steps)
    assert sites.priority > walled.priority


def test_unknown_owner_account_is_an_impostor_item(store: Store) -> None:
    f = record(
        FindingKind.ACCOUNT,
        "sites",
        "Chirper",
        "chirper:jd",
        own=False,
        site="Chirper",
        username="jd",
    )
    scan(store, [f])
    [impostor] = [i for i in items(store).values() if i.category == "impostor"]
    assert impostor.id == f"impostor:{impostor.finding_ids[0]}"
    assert impostor.priority == 1
    assert impostor.url == f.url
    text = " ".join(impostor.steps)
    assert "report" in text and "impersonation" in text and "screenshot" in text


def test_an_account_under_a_name_variant_says_it_may_be_someone_else(store: Store) -> None:
    f = record(
        FindingKind.ACCOUNT,
        "sites",
        "Chirper",
        "chirper:jane.doe",
        own=False,
        site="Chirper",
        username="jane.doe",
        variant=True,
    )
    scan(store, [f])
    [item] = [i for i in items(store).values() if i.category == "impostor"]
    assert "may be you, or an impostor using your name" in item.title
    assert "jane.doe" in item.title
    assert any("made from your name" in step for step in item.steps)


def test_verdicts_turn_an_impostor_into_an_own_account_or_drop_it(store: Store) -> None:
    f = record(
        FindingKind.ACCOUNT,
        "sites",
        "Chirper",
        "chirper:jd",
        own=False,
        site="Chirper",
        username="jd",
    )
    scan(store, [f])
    fid = next(iter(store.findings("jane"))).id
    store.set_verdict("jane", fid, "me")
    got = items(store)
    assert "account:chirper" in got and f"impostor:{fid}" not in got
    store.set_verdict("jane", fid, "not_me")
    got = items(store)
    assert "account:chirper" not in got and f"impostor:{fid}" not in got


def test_own_account_gets_deletion_link_from_justdeleteme(store: Store, shared_data: Path) -> None:
    accounts = load_accounts(shared_data / "accounts" / "jdm-sites.json")
    assert accounts is not None and len(accounts.entries) > 2000
    own = record(
        FindingKind.ACCOUNT, "sites", "GitHub", "github:jd", own=True, site="GitHub", username="jd"
    )
    own.url = "https://github.com/jd"
    scan(store, [own])
    item = items(store, accounts=accounts)["account:github"]
    assert item.priority == 4
    info = accounts.lookup("GitHub", "https://github.com/jd")
    assert info is not None and item.url == info.url and item.url.startswith("https://")
    assert any(info.difficulty in s for s in item.steps)


def test_own_account_without_deletion_data_says_how_to_get_it(store: Store) -> None:
    own = record(
        FindingKind.ACCOUNT,
        "sites",
        "Oldforum",
        "oldforum:jd",
        own=True,
        site="Oldforum",
        username="jd",
    )
    scan(store, [own])
    item = items(store)["account:oldforum"]  # no cache in this EXPOSURE_HOME
    assert item.priority == 4
    assert any("exposure sources update" in s for s in item.steps)


def test_breaches_group_by_breach_and_rank_by_passwords(store: Store) -> None:
    a = record(
        FindingKind.BREACH,
        "hibp",
        "HIBP (a@x.test)",
        "adobe:a",
        email="a@x.test",
        breach="Adobe",
        breach_date="2013-10-04",
        domain="adobe.com",
        data_classes=["Email addresses", "Passwords"],
        title="Adobe",
    )
    b = record(
        FindingKind.BREACH,
        "hibp",
        "HIBP (b@x.test)",
        "adobe:b",
        email="b@x.test",
        breach="Adobe",
        domain="adobe.com",
        data_classes=["Passwords"],
        title="Adobe",
    )
    c = record(
        FindingKind.BREACH,
        "hibp",
        "HIBP (a@x.test)",
        "list:a",
        email="a@x.test",
        breach="SpamList",
        domain="javascript:alert(1)",
        data_classes=["Email addresses"],
    )
    scan(store, [a, b, c])
    got = items(store)
    adobe = got["breach:adobe"]
    assert adobe.priority == 1 and len(adobe.finding_ids) == 2
    assert adobe.url == "https://adobe.com/"
    text = " ".join(adobe.steps)
    assert "a@x.test, b@x.test" in text and "every other account" in text
    assert "two-factor" in text
    spam = got["breach:spamlist"]
    assert spam.priority == 2
    assert not spam.url.startswith("javascript")


def test_pwned_and_weak_passwords(store: Store) -> None:
    pwned = record(FindingKind.PASSWORD, "pwned_passwords", "Pwned Passwords", "p1", count=52)
    weak = record(FindingKind.PASSWORD, "pwned_passwords", "Pwned Passwords", "p2", count=0)
    scan(store, [pwned, weak])
    pw = sorted(
        (i for i in items(store).values() if i.category == "password"), key=lambda i: i.priority
    )
    assert [i.priority for i in pw] == [1, 2]
    assert "52" in " ".join(pw[0].steps)


def test_sources_search_results_and_profiles(store: Store) -> None:
    hit = record(
        FindingKind.SEARCH_RESULT,
        "search",
        "SearXNG",
        "s1",
        domain="forum.test",
        results=["https://forum.test/t/1"],
        phones=["+15555550100"],
    )
    on_broker = record(
        FindingKind.SEARCH_RESULT,
        "search",
        "SearXNG",
        "s2",
        domain="lookupz.example.test",
        catalogue_entry="lookupz",
    )
    key = record(FindingKind.PUBLIC_KEY, "pgp", "keys.openpgp.org", "k1", email="jane@x.test")
    avatar = record(FindingKind.PROFILE, "gravatar", "Gravatar", "g1", email="jane@x.test")
    scan(store, [hit, on_broker, key, avatar])
    got = items(store)
    forum = got["source:search:forum-test"]
    assert forum.priority == 2  # a phone number in a search result
    assert any("phone" in s for s in forum.steps)
    assert "broker:lookupz" in got  # a result on a known broker joins its opt-out item
    assert got["source:pgp:keys-openpgp-org"].priority == 3
    assert "key server" in " ".join(got["source:pgp:keys-openpgp-org"].steps)
    assert got["source:gravatar:gravatar"].priority == 3


def test_baseline_items_for_everyone_and_guardian_item_for_children(store: Store) -> None:
    got = items(store)
    baseline = {k for k in got if k.startswith("baseline:")}
    assert {
        "baseline:password-manager",
        "baseline:never-share-passwords",
        "baseline:two-factor",
        "baseline:lock-down-social",
        "baseline:search-yourself",
        "baseline:keep-evidence",
        "baseline:do-not-engage",
    } <= baseline
    assert all(got[k].priority == 5 and got[k].steps for k in baseline)
    assert "baseline:guardian-informed" not in got
    child = Profile(id="kid", names=["Kid Doe"], guardian="jane")
    assert "baseline:guardian-informed" in items(store, child)


def test_items_are_ordered_and_ids_are_stable(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    first = list(items(store))
    scan(store, [ADDRESS_RECORD])
    assert list(items(store)) == first
    priorities = [i.priority for i in items(store).values()]
    assert priorities == sorted(priorities)


def test_low_confidence_findings_make_no_items(store: Store) -> None:
    weak = record(FindingKind.PERSON_RECORD, "brokers", "lookupz", "w", exposes=["phone"])
    weak.confidence = 0.3
    scan(store, [weak])
    assert "broker:lookupz" not in items(store, threshold=0.6)
    assert "broker:lookupz" in items(store, threshold=0.2)


# --------------------------------------------------------------------------- advice


def test_advice_file_is_complete() -> None:
    advice = cl.load_advice()
    for section in (
        "broker",
        "check_broker",
        "check_sources",
        "impostor",
        "account",
        "breach",
        "password",
        "source",
    ):
        assert advice.section(section).get("title"), section
    assert len(advice.baseline()) >= 7


def test_broken_advice_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "advice.toml"
    bad.write_text("[[baseline]]\nid = 'x'\n")
    with pytest.raises(UsageError, match="baseline item 1"):
        cl.load_advice(bad)
    bad.write_text("not = [toml")
    with pytest.raises(UsageError):
        cl.load_advice(bad)


def test_fill_keeps_unknown_placeholders_and_does_not_reinterpret_values() -> None:
    assert cl.fill("{a} {b}", a="{b}") == "{b} {b}"
    assert cl.fill("{name}", name=None) == ""


# --------------------------------------------------------------------------- JustDeleteMe data


def test_accounts_lookup_by_domain_subdomain_and_name() -> None:
    data = [
        {
            "name": "Example Site",
            "url": "https://help.example.test/delete",
            "difficulty": "hard",
            "domains": ["example.test"],
            "notes": "Write to support",
        },
        {"name": "Bad Link", "url": "javascript:alert(1)", "difficulty": "weird", "domains": []},
        "junk",
    ]
    cat = parse_accounts(json.dumps(data))
    assert cat.lookup(url="https://www.users.example.test/jd").name == "Example Site"
    assert cat.lookup(name="example-site").name == "Example Site"
    bad = cat.lookup(name="Bad Link")
    assert bad is not None and bad.url == "" and bad.difficulty == "unknown"
    assert cat.lookup(name="nothing", url="https://other.test/") is None


@pytest.mark.parametrize("body", [b"{broken", b'{"a": 1}', b"[]", b'[{"no": "name"}]'])
def test_accounts_data_rejects_bad_files(body: bytes) -> None:
    with pytest.raises(AccountsDataError):
        parse_accounts(body)


def test_load_accounts_without_or_with_a_damaged_cache(tmp_path: Path) -> None:
    assert load_accounts() is None
    damaged = tmp_path / "jdm.json"
    damaged.write_text("{oops")
    assert load_accounts(damaged) is None


# --------------------------------------------------------------------------- status cycle


def test_open_done_verified_relisted_across_three_scans(store: Store) -> None:
    """The broker drops the record (scan 2) and puts it back (scan 3)."""
    scan(store, [ADDRESS_RECORD])
    assert items(store)["broker:peoplefinderz"].status == "open"
    cl.mark(store, JANE, "broker:peoplefinderz", done=True, brokers=CATALOGUE)
    assert items(store)["broker:peoplefinderz"].status == "done"

    scan(store, [], [broker_check("peoplefinderz", Outcome.ABSENT)])  # record gone
    item = items(store)["broker:peoplefinderz"]
    assert item.status == "verified"
    assert item.changed_at is not None
    assert store.checklist_state("jane")["broker:peoplefinderz"][0] == "verified"

    scan(store, [ADDRESS_RECORD])  # re-listed
    item = items(store)["broker:peoplefinderz"]
    assert item.status == "relisted"
    assert store.checklist_state("jane")["broker:peoplefinderz"][0] == "relisted"
    assert items(store)["broker:peoplefinderz"].status == "relisted"  # stays open again

    cl.mark(store, JANE, "broker:peoplefinderz", done=True, brokers=CATALOGUE)
    assert items(store)["broker:peoplefinderz"].status == "done"


def test_a_blocked_rescan_never_verifies(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    cl.mark(store, JANE, "broker:peoplefinderz", done=True, brokers=CATALOGUE)
    scan(store, [], [broker_check("peoplefinderz", Outcome.BLOCKED, url="https://p/")])
    assert items(store)["broker:peoplefinderz"].status == "done"


def test_done_item_still_listed_stays_done_with_a_note(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    state_time = datetime(2020, 1, 1, tzinfo=UTC)
    store.set_checklist_state("jane", "broker:peoplefinderz", "done")
    store.db.execute("UPDATE checklist_state SET changed_at = ?", ("2020-01-01T00:00:00Z",))
    scan(store, [ADDRESS_RECORD])
    item = items(store)["broker:peoplefinderz"]
    assert item.status == "done" and item.changed_at == state_time
    assert any("Still listed" in s for s in item.steps)


def test_done_then_gone_then_back_without_reading_in_between(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    store.set_checklist_state("jane", "broker:peoplefinderz", "done")
    store.db.execute("UPDATE checklist_state SET changed_at = ?", ("2020-01-01T00:00:00Z",))
    scan(store, [], [broker_check("peoplefinderz", Outcome.ABSENT)])
    scan(store, [ADDRESS_RECORD])  # nobody looked at the checklist in between
    assert items(store)["broker:peoplefinderz"].status == "relisted"


def test_an_open_item_whose_findings_vanish_is_verified(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    scan(store, [], [broker_check("peoplefinderz", Outcome.ABSENT)])
    assert items(store)["broker:peoplefinderz"].status == "verified"


def test_persist_off_leaves_the_store_alone(store: Store) -> None:
    scan(store, [ADDRESS_RECORD])
    scan(store, [], [broker_check("peoplefinderz", Outcome.ABSENT)])
    assert items(store, persist=False)["broker:peoplefinderz"].status == "verified"
    assert store.checklist_state("jane") == {}


def test_mark_unknown_item_and_undo(store: Store) -> None:
    with pytest.raises(UsageError, match="no checklist item 'broker:nope'"):
        cl.mark(store, JANE, "broker:nope", done=True, brokers=CATALOGUE)
    item = cl.mark(store, JANE, "baseline:two-factor", done=True, brokers=CATALOGUE)
    assert item.status == "done"
    assert items(store)["baseline:two-factor"].status == "done"
    cl.mark(store, JANE, "baseline:two-factor", done=False, brokers=CATALOGUE)
    assert items(store)["baseline:two-factor"].status == "open"


def test_resolve_table() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = now + timedelta(days=1)

    def f(status: str, seen: datetime = later) -> Finding:
        x = record(FindingKind.PERSON_RECORD, "brokers", "b", "k")
        x.status, x.last_seen = status, seen
        return x

    assert cl.resolve(None, [f("open")]).status == "open"
    assert cl.resolve(None, [f("gone")]) == cl.Resolved("verified", True)
    assert cl.resolve(("done", now), [f("open")]) == cl.Resolved("done", False)
    assert cl.resolve(("done", now), [f("back")]) == cl.Resolved("relisted", True)
    assert cl.resolve(("done", later), [f("back", now)]).status == "done"
    assert cl.resolve(("verified", now), [f("gone")]) == cl.Resolved("verified", False)
    assert cl.resolve(("verified", now), [f("gone"), f("open")]).status == "relisted"
    assert cl.resolve(("relisted", now), [f("gone")]).status == "verified"
    assert cl.resolve(("done", now), []).status == "done"  # baseline: the person decides
    assert cl.resolve(("bogus", now), [f("open")]).status == "open"
