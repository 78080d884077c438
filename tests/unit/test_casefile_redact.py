"""Redaction and escaping of the case file's HTML (no browser needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from exposure.casefile.document import render_html
from exposure.casefile.incidents import Incident, Version
from exposure.casefile.redact import BAR, RedactError, Redactor, parse_fields
from exposure.casefile.timeline import CaseData
from exposure.model import Profile

JANE = Profile(
    id="jane",
    names=["Jane Doe"],
    phones=["+441134960000"],
    emails=["jane@example.org"],
    addresses=["1 High St, Leeds LS1 4AP, UK"],
    birth_date=date(1983, 4, 5),
)


@pytest.mark.parametrize(
    "text",
    [
        "call +44 113 496 0000 now",
        "call 0113 496 0000 now",
        "call (0113) 496-0000 now",
        "call +44 (0)113 4960000 now",
        "call 01134960000 now",
    ],
)
def test_phone_in_any_format_is_blacked_out(text):
    out = Redactor.for_profile(JANE, ["phone"]).apply(text)
    assert out == f"call {BAR} now"


def test_address_whole_and_by_part():
    r = Redactor.for_profile(JANE, ["home_address"])
    assert r.apply("lives at 1 High St, Leeds LS1 4AP, UK.") == f"lives at {BAR}."
    assert r.apply("seen near 1  high st in Leeds") == f"seen near {BAR} in Leeds"
    assert "LS1 4AP" not in r.apply("postcode LS1 4AP")


def test_other_fields_and_untouched_ones():
    r = Redactor.for_profile(JANE, ["email", "birth_date"])
    assert r.apply("JANE@example.org born 5 April 1983 / 05/04/1983 / 1983-04-05") == (
        f"{BAR} born {BAR} / {BAR} / {BAR}"
    )
    assert r.apply("call 0113 496 0000") == "call 0113 496 0000"  # phone not asked for
    assert Redactor.for_profile(JANE, []).apply("1 High St") == "1 High St"


def test_unknown_field_is_refused():
    assert parse_fields("home_address, phone,phone") == ("home_address", "phone")
    with pytest.raises(RedactError, match="shoe_size"):
        parse_fields("phone,shoe_size")


def _case(what: str) -> CaseData:
    version = Version(
        number=1,
        happened_at=datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        what=what,
        places=("javascript:alert(1)",),
    )
    incident = Incident(1, "jane", datetime(2026, 11, 21, tzinfo=UTC), (version,))
    return CaseData(JANE, datetime(2026, 12, 1, tzinfo=UTC), [incident], [], [])


def test_incident_text_is_escaped_in_the_html():
    html = render_html(_case('<script>alert(1)</script><img src=x onerror=alert(2)> "\u202e'))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\u202e" not in html
    assert 'href="javascript' not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_redaction_reaches_the_html():
    html = render_html(
        _case("he said 1 High St and 0113 496 0000"),
        redactor=Redactor.for_profile(JANE, ["home_address", "phone"]),
    )
    assert "High St" not in html and "496" not in html
    assert "This copy is redacted" in html
