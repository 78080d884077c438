"""The rdap checker: which domains, jCard reading, redaction, and the API's failure modes."""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from checker_kit import scan_context
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from exposure.checkers.base import ScanContext, TaskResult
from exposure.checkers.rdap import (
    RdapChecker,
    RdapFormatError,
    check_domain,
    email_domains,
    is_redacted,
    read_registration,
    skip_reason,
)
from exposure.model import FindingKind, Outcome, Profile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "api" / "rdap"
DOMAIN = "janedoe.example"


def make_ctx(
    base: str | None,
    emails: list[str] | None = None,
    names: list[str] | None = None,
    private: tuple[str, ...] = (),
    **checker_cfg: Any,
) -> ScanContext:
    cfg = dict(checker_cfg)
    if base is not None:
        cfg["base_url"] = base
    profile = Profile(
        id="jane",
        names=names if names is not None else ["Jane Doe"],
        emails=emails if emails is not None else [f"jane@{DOMAIN}"],
        phones=["+15125550100"],
    )
    return scan_context(profile, checkers={"rdap": cfg}, private=private)


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


# ------------------------------------------------------------------ which domains


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "GMAIL.com",
        "hotmail.co.uk",
        "yahoo.fr",
        "gmx.at",
        "outlook.de",
        "proton.me",
        "btinternet.com",
        "comcast.net",
        "mail.ru",
        "yandex.ru",
        "web.de",
        "icloud.com",
    ],
)
def test_big_mail_providers_are_skipped(domain: str) -> None:
    assert skip_reason(domain.lower()) is not None


@pytest.mark.parametrize("domain", ["janedoe.example", "doe-family.co.uk", "mail.janedoe.org"])
def test_own_domains_are_asked_about(domain: str) -> None:
    assert skip_reason(domain) is None


def test_not_domains_and_configured_skips() -> None:
    assert skip_reason("localhost") is not None
    assert skip_reason("[192.0.2.1]") is not None
    assert skip_reason("work.example", ["work.example"]) is not None


def test_tasks_ask_registered_domains_once_and_skip_providers() -> None:
    ctx = make_ctx(
        None,
        emails=["jane@mail.janedoe.org", "j@janedoe.org", "jane@gmail.com", "nobody"],
    )
    checker = RdapChecker()
    sends = checker.transmissions(ctx)
    assert [(t.field, t.value, t.host) for t in sends] == [("email", "janedoe.org", "rdap.org")]
    results = [t.run() for t in checker.tasks(ctx) if t.source == "RDAP" and _offline(t)]
    skipped = [c for r in results for c in r.checks if c.status is Outcome.SKIPPED]
    assert len(skipped) == 1 and "gmail.com" in skipped[0].detail
    assert email_domains(["A@Example.ORG", "b@example.org", "broken"]) == ["example.org"]


def _offline(task: Any) -> bool:
    """Skipped-domain tasks are plain TaskResult partials: they make no request."""
    return getattr(task.run, "func", None) is TaskResult


# ------------------------------------------------------------------ reading RDAP


def test_unredacted_registrant_is_read() -> None:
    reg = read_registration(load("unredacted.json"))
    roles = [c.role for c in reg.contacts]
    assert roles == ["registrant", "administrative", "technical"]  # registrar/abuse left out
    registrant = reg.contacts[0]
    assert registrant.name == "Jane Q. Doe"
    assert registrant.street == "12 Elm Street"
    assert registrant.address == "12 Elm Street, Austin, TX, 78701, US"
    assert registrant.phone == "+1.5125550100"
    assert registrant.email == "jane@janedoe.example"
    assert not reg.redaction_seen


def test_redacted_registration_exposes_nothing() -> None:
    reg = read_registration(load("redacted.json"))
    [registrant] = reg.contacts
    assert not registrant.exposed and reg.redaction_seen
    assert registrant.address == "TX, US"  # region and country are not personal enough


def test_privacy_proxy_is_redaction() -> None:
    reg = read_registration(load("privacy_proxy.json"))
    [registrant] = reg.contacts
    assert not registrant.exposed and reg.redaction_seen


def test_rfc9537_redacted_member_wins_over_placeholder_values() -> None:
    data = load("unredacted.json")
    data["redacted"] = [
        {"name": {"type": "Registrant Name"}, "method": "replacementValue"},
        {"name": {"type": "Registrant Street"}, "method": "removal"},
        {"name": {"type": "Registrant Phone"}, "method": "removal"},
    ]
    reg = read_registration(data)
    registrant = reg.contacts[0]
    assert registrant.name == "" and registrant.street == "" and registrant.phone == ""
    assert reg.redaction_seen
    assert reg.contacts[1].name == "Jane Q. Doe"  # the admin contact was not declared redacted


@pytest.mark.parametrize(
    "value",
    [
        "REDACTED FOR PRIVACY",
        "Data Protected",
        "Redacted",
        "Privacy service provided by X",
        "Withheld for Privacy ehf",
        "Not Disclosed",
        "GDPR Masked",
    ],
)
def test_redaction_markers(value: str) -> None:
    assert is_redacted(value)
    assert not is_redacted("Jane Doe")


def test_label_address_and_nested_value_parts() -> None:
    data = load("unredacted.json")
    card = data["entities"][0]["vcardArray"][1]
    card[3] = [
        "adr",
        {"label": "12 Elm Street\nAustin, TX 78701\nUSA"},
        "text",
        ["", "", "", "", "", "", ""],
    ]
    registrant = read_registration(data).contacts[0]
    assert registrant.street == "12 Elm Street"
    assert "Austin" in registrant.address and "\n" not in registrant.address


@pytest.mark.parametrize(
    "data",
    [
        [],
        "text",
        {"objectClassName": "entity", "handle": "X"},
        {"errorCode": 400},
        {"objectClassName": "domain", "entities": {"not": "a list"}},
        {"objectClassName": "domain", "entities": [{"roles": ["registrant"], "vcardArray": "x"}]},
        {
            "objectClassName": "domain",
            "entities": [{"roles": ["registrant"], "vcardArray": ["vcard", "oops"]}],
        },
    ],
)
def test_unreadable_answers_raise(data: Any) -> None:
    with pytest.raises(RdapFormatError):
        read_registration(data)


def test_odd_but_valid_parts_are_tolerated() -> None:
    data = load("unredacted.json")
    data["entities"].insert(0, "not an entity")
    data["entities"][1]["vcardArray"][1].insert(1, "not a property")
    data["entities"][1]["vcardArray"][1].append(["x-unknown", {}, "text", "whatever"])
    assert read_registration(data).contacts[0].name == "Jane Q. Doe"


# ------------------------------------------------------------------ the checker over HTTP


def test_public_registrant_is_a_profile_finding_after_redirect(httpserver: HTTPServer) -> None:
    body = (FIXTURES / "unredacted.json").read_bytes()
    httpserver.expect_request(f"/domain/{DOMAIN}").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for(f"/registry/domain/{DOMAIN}")}
    )
    httpserver.expect_request(f"/registry/domain/{DOMAIN}").respond_with_data(
        body, content_type="application/rdap+json"
    )
    result = check_domain(make_ctx(httpserver.url_for("/")), DOMAIN)
    assert [c.status for c in result.checks] == [Outcome.FOUND]
    [finding] = result.findings
    assert finding.kind is FindingKind.PROFILE and finding.key == DOMAIN
    assert finding.confidence == 1.0  # Jane Q. Doe ~ Jane Doe
    m = finding.matched
    assert (m["domain"], m["name"], m["phone"]) == (DOMAIN, "Jane Q. Doe", "+1.5125550100")
    assert m["address"].startswith("12 Elm Street") and m["email"] == f"jane@{DOMAIN}"
    assert [c["role"] for c in m["contacts"]] == ["registrant", "administrative", "technical"]
    assert finding.url.endswith(f"/registry/domain/{DOMAIN}")
    assert any("name" in r and "Jane" in r for r in finding.reasons)
    assert finding.capture is not None and finding.capture.body == body


def test_someone_elses_name_lowers_confidence(httpserver: HTTPServer) -> None:
    data = load("unredacted.json")
    data["entities"][0]["vcardArray"][1][2] = ["fn", {}, "text", "Robert Smith"]
    data["entities"][0]["vcardArray"][1][4] = ["tel", {}, "uri", "tel:+1.2125550199"]
    httpserver.expect_request(f"/domain/{DOMAIN}").respond_with_json(data)
    [finding] = check_domain(make_ctx(httpserver.url_for("/")), DOMAIN).findings
    assert finding.confidence == 0.8
    assert any("does not match yours" in r for r in finding.reasons)


def test_own_phone_confirms_a_nameless_contact(httpserver: HTTPServer) -> None:
    data = load("unredacted.json")
    data["entities"][0]["vcardArray"][1][2] = ["fn", {}, "text", ""]
    httpserver.expect_request(f"/domain/{DOMAIN}").respond_with_json(data)
    [finding] = check_domain(make_ctx(httpserver.url_for("/")), DOMAIN).findings
    assert finding.confidence == 1.0 and "the phone is yours" in finding.reasons


@pytest.mark.parametrize("name", ["redacted.json", "privacy_proxy.json"])
def test_redacted_is_absent_with_the_reason(httpserver: HTTPServer, name: str) -> None:
    httpserver.expect_request(f"/domain/{DOMAIN}").respond_with_data((FIXTURES / name).read_bytes())
    result = check_domain(make_ctx(httpserver.url_for("/")), DOMAIN)
    [check] = result.checks
    assert check.status is Outcome.ABSENT
    assert "registration data is redacted" in check.detail
    assert result.findings == []


def test_no_contacts_at_all_is_absent(httpserver: HTTPServer) -> None:
    data = copy.deepcopy(load("unredacted.json"))
    data["entities"] = [e for e in data["entities"] if "registrar" in e["roles"]]
    httpserver.expect_request(f"/domain/{DOMAIN}").respond_with_json(data)
    [check] = check_domain(make_ctx(httpserver.url_for("/")), DOMAIN).checks
    assert check.status is Outcome.ABSENT and "no contact published" in check.detail


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "words"),
    [
        (404, '{"errorCode": 404, "title": "Not Found"}', {}, Outcome.SKIPPED, "no RDAP record"),
        (429, "", {"Retry-After": "120"}, Outcome.BLOCKED, "retry after 120s"),
        (403, "", {}, Outcome.BLOCKED, "403"),
        (500, "", {}, Outcome.ERROR, "HTTP 500"),
        (400, "", {}, Outcome.ERROR, "HTTP 400"),
        (200, "<html>hello</html>", {}, Outcome.ERROR, "malformed JSON"),
        (200, "[]", {}, Outcome.ERROR, "could not read the registration data"),
        (
            200,
            '{"objectClassName": "domain", "entities": 3}',
            {},
            Outcome.ERROR,
            "could not read the registration data",
        ),
    ],
)
def test_failures_are_never_a_finding(
    httpserver: HTTPServer,
    status: int,
    body: str,
    headers: dict[str, str],
    expected: Outcome,
    words: str,
) -> None:
    httpserver.expect_request(f"/domain/{DOMAIN}").respond_with_data(
        body, status=status, headers=headers
    )
    result = check_domain(make_ctx(httpserver.url_for("/")), DOMAIN)
    [check] = result.checks
    assert check.status is expected and words in check.detail
    assert result.findings == []


@pytest.fixture
def silent_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def test_timeout_is_an_error(silent_port: int) -> None:
    [check] = check_domain(make_ctx(f"http://127.0.0.1:{silent_port}"), DOMAIN).checks
    assert check.status is Outcome.ERROR and "timed out" in check.detail


def test_idn_domain_is_sent_as_punycode(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/domain/xn--mller-kva.example").respond_with_data("", status=404)
    [check] = check_domain(make_ctx(httpserver.url_for("/")), "müller.example").checks
    assert check.status is Outcome.SKIPPED  # answered 404: unknown, never absent


def test_base_url_override_and_private_email() -> None:
    from exposure.engine.scan import without_private

    checker = RdapChecker()
    ctx = make_ctx("https://rdap.mirror.example.net/")
    assert {t.host for t in checker.transmissions(ctx)} == {"rdap.mirror.example.net"}
    private = make_ctx(None, private=("email",))
    assert list(checker.tasks(private)) == []
    assert without_private([checker], private)[0] == []
    gmail_only = make_ctx(None, emails=["jane@gmail.com"], private=("email",))
    assert checker.transmissions(gmail_only) == []  # nothing would be sent at all


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["objectClassName", "entities", "redacted", "remarks"]), _json, max_size=4
    ),
    _json,
)
def test_any_json_gives_a_registration_or_a_format_error(top: dict[str, Any], entity: Any) -> None:
    shapes = [
        top,
        {
            "objectClassName": "domain",
            "entities": [{"roles": ["registrant"], "vcardArray": entity}],
        },
        {
            "objectClassName": "domain",
            "entities": [{"roles": ["registrant"], "vcardArray": ["vcard", [entity]]}],
        },
        {
            "objectClassName": "domain",
            "entities": [
                {
                    "roles": ["registrant"],
                    "vcardArray": [
                        "vcard",
                        [["adr", entity, "text", entity], ["fn", {}, "text", entity]],
                    ],
                }
            ],
        },
    ]
    for data in shapes:
        try:
            reg = read_registration(data)
        except RdapFormatError:
            continue
        assert all(c.role in ("registrant", "administrative", "technical") for c in reg.contacts)
