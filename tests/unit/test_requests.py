"""Removal requests: choosing the law, deadlines, letters, mailto encoding, minimisation."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from exposure.engine.request_log import RequestRecord, track
from exposure.engine.request_rules import (
    RequestRulesError,
    add_deadline,
    add_months,
    jurisdiction_for,
    load_rules,
    parse_rules,
)
from exposure.engine.requests import History, Target, draft, mailto, safe_address
from exposure.model import ChecklistItem, Profile, RequestKind, RequestState

RULES = load_rules()


def person(*locations: str, **extra: object) -> Profile:
    return Profile(
        id="jane",
        names=["Jane Q Doe", "Janie"],
        emails=["jane@example.org", "secret.other@example.net"],
        phones=["+15105550100"],
        usernames=["janeq_1983"],
        locations=list(locations),
        addresses=["742 Evergreen Terrace, Springfield"],
        birth_date=date(1983, 4, 5),
        **extra,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("location", "jid", "deadline", "regulator"),
    [
        ("Oakland, CA 94607", "us-ca", "45 days (extendable by 45 days)", "CPPA"),
        (
            "Richmond, Virginia",
            "us-va",
            "45 days (extendable by 45 days)",
            "Virginia Attorney General",
        ),
        ("Denver, CO", "us-co", "45 days (extendable by 45 days)", "Colorado Attorney General"),
        ("Des Moines, IA", "us-ia", "90 days (extendable by 45 days)", "Iowa Attorney General"),
        ("Austin, TX 78701", "us-tx", "45 days (extendable by 45 days)", "Texas Attorney General"),
        ("Leeds, West Yorkshire LS1 4AP, UK", "gb", "one month (extendable by 2 months)", "ICO"),
        (
            "75001 Paris, France",
            "eu",
            "one month (extendable by 2 months)",
            "your data protection authority",
        ),
        ("Toronto, ON M5V 2T6, Canada", "ca", "30 days (extendable by 30 days)", "OPC"),
        ("Sydney NSW 2000, Australia", "au", "30 days", "OAIC"),
    ],
)
def test_the_law_deadline_and_regulator_come_from_the_location(
    location: str, jid: str, deadline: str, regulator: str
) -> None:
    choice = jurisdiction_for(person(location), RULES)
    j = choice.jurisdiction
    assert j.id == jid
    assert j.deadline.describe() == deadline
    assert j.regulator is not None and j.regulator.short == regulator
    assert j.law is not None and j.law.source.startswith("https://")
    assert j.regulator.complaint_url.startswith("https://")
    assert choice.location == location


def test_a_state_without_a_deletion_law_in_our_rules_gets_the_plain_opt_out() -> None:
    for profile in (person("Miami, FL"), person("Lagos, Nigeria"), person()):
        choice = jurisdiction_for(profile, RULES)
        assert choice.jurisdiction.is_fallback
        assert choice.jurisdiction.regulator is None
        assert choice.note.startswith("Plain opt-out request")


def test_the_first_placed_location_decides_and_the_note_names_the_other() -> None:
    choice = jurisdiction_for(person("Nowhere town", "Oakland, CA", "London, UK"), RULES)
    assert choice.jurisdiction.id == "us-ca"
    assert "the United Kingdom" in choice.note


def test_deadline_arithmetic_days_months_and_extensions() -> None:
    ca = RULES.get("us-ca")
    assert ca is not None
    due = add_deadline(date(2026, 3, 1), ca.deadline)
    assert (due.due, due.extended) == (date(2026, 4, 15), date(2026, 5, 30))
    iowa = RULES.get("us-ia")
    assert iowa is not None
    assert add_deadline(date(2026, 1, 1), iowa.deadline).due == date(2026, 4, 1)
    gdpr = RULES.get("gb")
    assert gdpr is not None
    jan31 = add_deadline(date(2026, 1, 31), gdpr.deadline)
    assert (jan31.due, jan31.extended) == (date(2026, 2, 28), date(2026, 4, 30))
    assert add_deadline(date(2028, 1, 31), gdpr.deadline).due == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    plain = add_deadline(date(2026, 1, 1), RULES.fallback.deadline, follow_up_days=30)
    assert plain.due is None and plain.follow_up == date(2026, 1, 31)
    assert plain.days_left(date(2026, 1, 21)) == 10


def _target(**extra: object) -> Target:
    values: dict[str, object] = {
        "item_id": "broker:spokeo",
        "organisation": "Spokeo",
        "email": "privacy@spokeo.example",
        "form_url": "https://www.spokeo.example/optout",
        "listings": ("https://www.spokeo.example/Jane-Doe/1",),
    }
    values.update(extra)
    return Target(**values)  # type: ignore[arg-type]


def test_a_request_carries_only_the_name_and_the_listings() -> None:
    profile = person("Oakland, CA", address_program="ca-safe-at-home")
    choice = jurisdiction_for(profile, RULES)
    forbidden = [
        "5105550100",
        "510",
        "555",
        "0100",
        "Evergreen",
        "1983",
        "04-05",
        "secret.other",
        "jane@example.org",
        "janeq_1983",
        "Janie",
        "Oakland",
    ]
    kinds = [RequestKind.REQUEST, RequestKind.REMINDER, RequestKind.COMPLAINT]
    for kind in [*kinds, RequestKind.ADDRESS_DEMAND]:
        d = draft(
            kind,
            _target(),
            profile,
            choice,
            program=RULES.program("ca-safe-at-home"),
            history=History(sent_on=date(2026, 1, 5), due=date(2026, 2, 19)),
        )
        everything = d.text() + d.mailto + d.eml().decode()
        for value in forbidden:
            assert value not in everything, (kind, value)
        assert "Jane Q Doe" in d.body
        assert "https://www.spokeo.example/Jane-Doe/1" in d.body
        assert d.fields == ("name", "listing URLs")


def test_the_sender_goes_in_the_eml_only_when_asked_and_plain() -> None:
    d = draft(
        RequestKind.REQUEST, _target(), person("Oakland, CA"), jurisdiction_for(person(), RULES)
    )
    assert b"From:" not in d.eml()
    assert b"From: jane@example.org" in d.eml(sender="jane@example.org")
    assert b"From:" not in d.eml(sender="jane@example.org\r\nBcc: x@evil.test")
    assert b"X-Unsent: 1" in d.eml()


def test_what_the_broker_demands_beyond_the_letter_is_said_first() -> None:
    target = _target(requires=("id", "phone-call"), notes="They ask for your full date of birth.")
    d = draft(RequestKind.REQUEST, target, person("Oakland, CA"), jurisdiction_for(person(), RULES))
    text = " ".join(d.warnings)
    assert "ID document" in text and "date of birth" in text and "phone" in text
    quiet = draft(RequestKind.REQUEST, _target(), person(), jurisdiction_for(person(), RULES))
    assert quiet.warnings == ()


def test_mailto_encodes_every_part_and_refuses_odd_addresses() -> None:
    link = mailto("privacy@spokeo.example", "Hi\r\nBcc: evil@x.test", "line 1\nline 2 & more?")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == "privacy@spokeo.example"
    assert "\n" not in link and "\r" not in link and " " not in link
    query = parse_qs(parts.query)
    assert set(query) == {"subject", "body"}
    assert query["subject"] == ["Hi\r\nBcc: evil@x.test"]  # inside the subject, not a header
    assert "%0D%0A" in link and "%26" in link and "%3F" in link
    assert unquote(link).count("?") == 2  # ours, and the one inside the body
    for bad in (
        "privacy@spokeo.example?bcc=evil@x.test",
        "privacy@spokeo.example\r\nBcc: evil@x.test",
        "privacy@spokeo.example%0Abcc=evil@x.test",
        "a@b@c.test",
        "privacy@spokeo.example,evil@x.test",
        "",
    ):
        assert safe_address(bad) == "" and mailto(bad, "s", "b") == ""


def test_scraped_names_and_urls_are_cleaned_in_the_letter() -> None:
    target = _target(
        organisation="Evil\u202eCorp\r\nBcc: evil@x.test",
        email="privacy@evil.test\nbcc:x@y.test",
        listings=("https://evil.test/p/1\r\nBcc: x@evil.test", "javascript:alert(1)"),
    )
    d = draft(RequestKind.REQUEST, target, person(), jurisdiction_for(person(), RULES))
    assert "\u202e" not in d.text() and "\r" not in d.body
    assert not any(line.startswith("Bcc") for line in d.text().splitlines())
    assert email.message_from_bytes(d.eml())["Bcc"] is None
    assert "javascript" not in d.body
    assert "  - https://evil.test/p/1\n" in d.body
    assert d.to_email == "" and d.mailto == ""


def test_safe_at_home_demand_needs_the_profile_flag() -> None:
    program = RULES.program("ca-safe-at-home")
    assert program is not None and "6208.1(b)" in program.law.text
    flagged = person("Oakland, CA", address_program="ca-safe-at-home")
    d = draft(
        RequestKind.ADDRESS_DEMAND,
        _target(),
        flagged,
        jurisdiction_for(flagged, RULES),
        program=program,
    )
    assert d.kind is RequestKind.ADDRESS_DEMAND
    assert "Safe at Home" in d.body and "48 hours" in d.body
    plain = draft(
        RequestKind.ADDRESS_DEMAND, _target(), person(), jurisdiction_for(person(), RULES)
    )
    assert plain.kind is RequestKind.REQUEST


def _record(
    kind: RequestKind, sent: date | None, rid: int = 1, jid: str = "us-ca"
) -> RequestRecord:
    return RequestRecord(
        id=rid,
        item_id="broker:spokeo",
        kind=kind,
        jurisdiction=jid,
        drafted_at=datetime(2026, 1, 1, tzinfo=UTC),
        recipient="",
        subject="",
        body="",
        sent_on=sent,
        via="email" if sent else "",
    )


@pytest.mark.parametrize(
    ("location", "regulator"),
    [
        ("Oakland, CA", "California Privacy Protection Agency"),
        ("Leeds, UK", "Information Commissioner"),
        ("Perth WA 6000, Australia", "Australian Information Commissioner"),
    ],
)
def test_overdue_then_reminder_then_complaint_to_the_regulator(
    location: str, regulator: str
) -> None:
    profile = person(location)
    choice = jurisdiction_for(profile, RULES)
    item = ChecklistItem(
        id="broker:spokeo", title="t", priority=1, finding_ids=["f1"], category="broker"
    )
    sent = date(2026, 1, 5)
    jid = choice.jurisdiction.id
    waiting = track(
        item, [_record(RequestKind.REQUEST, sent, jid=jid)], RULES, choice, profile, sent
    )
    assert waiting.state is RequestState.SENT and waiting.days_left and waiting.days_left > 0
    late = date(2026, 6, 1)
    overdue = track(
        item, [_record(RequestKind.REQUEST, sent, jid=jid)], RULES, choice, profile, late
    )
    assert overdue.state is RequestState.OVERDUE and overdue.next_step is RequestKind.REMINDER
    records = [
        _record(RequestKind.REQUEST, sent, jid=jid),
        _record(RequestKind.REMINDER, date(2026, 5, 1), 2, jid=jid),
    ]
    after = track(item, records, RULES, choice, profile, late)
    assert after.state is RequestState.OVERDUE and after.next_step is RequestKind.COMPLAINT
    complaint = draft(
        RequestKind.COMPLAINT,
        _target(),
        profile,
        choice,
        history=History(sent_on=sent, due=after.due, reminded_on=date(2026, 5, 1)),
    )
    assert complaint.kind is RequestKind.COMPLAINT
    assert regulator in complaint.to_name and complaint.to_email == ""
    assert sent.isoformat() in complaint.body and "2026-05-01" in complaint.body
    assert any(RULES.get(jid).regulator.complaint_url in n for n in complaint.notes)  # type: ignore[union-attr]


def test_no_complaint_without_a_law_and_verified_ends_it() -> None:
    profile = person("Lagos, Nigeria")
    choice = jurisdiction_for(profile, RULES)
    item = ChecklistItem(
        id="broker:spokeo", title="t", priority=1, finding_ids=["f1"], category="broker"
    )
    records = [
        _record(RequestKind.REQUEST, date(2026, 1, 5), jid="none"),
        _record(RequestKind.REMINDER, date(2026, 3, 1), 2, jid="none"),
    ]
    late = track(item, records, RULES, choice, profile, date(2026, 6, 1))
    assert late.state is RequestState.OVERDUE and late.next_step is RequestKind.REMINDER
    assert draft(RequestKind.COMPLAINT, _target(), profile, choice).kind is RequestKind.REMINDER
    item.status = "verified"
    assert (
        track(item, records, RULES, choice, profile, date(2026, 6, 1)).state
        is RequestState.VERIFIED
    )


def test_a_relisted_item_starts_a_new_round_and_keeps_the_history() -> None:
    profile = person("Oakland, CA")
    choice = jurisdiction_for(profile, RULES)
    item = ChecklistItem(
        id="broker:spokeo",
        title="t",
        priority=1,
        finding_ids=["f1"],
        category="broker",
        status="relisted",
        changed_at=datetime(2026, 5, 1, tzinfo=UTC),
    )
    status = track(
        item,
        [_record(RequestKind.REQUEST, date(2026, 1, 5))],
        RULES,
        choice,
        profile,
        date(2026, 5, 2),
    )
    assert status.state is RequestState.RELISTED and status.next_step is RequestKind.REQUEST
    assert status.history == (("request", date(2026, 1, 5), "email"),)


def test_a_rules_file_without_sources_is_refused_in_one_line() -> None:
    bad = {
        "jurisdiction": [
            {
                "id": "x",
                "name": "X",
                "country": "US",
                "right": "delete",
                "law": {"title": "A law"},
                "deadline": {"days": 10, "source": "https://x.test/"},
                "regulator": {
                    "name": "R",
                    "short": "R",
                    "complaint_url": "https://x.test/",
                    "source": "https://x.test/",
                },
            }
        ],
        "fallback": {"id": "none", "name": "n", "note": "n"},
    }
    with pytest.raises(RequestRulesError) as err:
        parse_rules(bad, "t.toml")
    assert "\n" not in str(err.value) and "source" in str(err.value) and "(x)" in str(err.value)
    bad["jurisdiction"][0]["law"] = {"title": "A law", "source": "https://x.test/"}  # type: ignore[index]
    bad["jurisdiction"][0]["right"] = "vanish"  # type: ignore[index]
    with pytest.raises(RequestRulesError, match="right must be one of"):
        parse_rules(bad, "t.toml")


def test_every_bundled_fact_has_an_https_source() -> None:
    for j in RULES.jurisdictions:
        assert j.law is not None and j.regulator is not None
        for url in (j.law.source, j.deadline.source, j.regulator.source, j.regulator.complaint_url):
            assert url.startswith("https://"), (j.id, url)
    assert RULES.drop is not None and all(s.startswith("https://") for s in RULES.drop.sources)
    assert RULES.drop.processing_from == date(2026, 8, 1) and RULES.drop.interval_days == 45


def test_listing_urls_follow_the_one_web_url_rule() -> None:
    """A listing or opt-out page is kept by exposure.urls.is_web_url: any case, with a host."""
    target = Target(
        item_id="x",
        organisation="Org",
        form_url="HTTPS://Broker.test/opt-out",
        listings=("http:///no-host", "https://broker.test/p/1", "javascript:alert(1)"),
    ).cleaned()
    assert target.form_url == "HTTPS://Broker.test/opt-out"
    assert target.listings == ("https://broker.test/p/1",)
