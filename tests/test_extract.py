"""Generic person-record extraction: layouts, fields, furniture, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exposure.extract import (
    MAX_INPUT_BYTES,
    Record,
    extract_records,
    looks_like_name,
    page_says_no_results,
)
from exposure.names import fold

FIXTURES = Path(__file__).parent / "fixtures" / "brokers"
LABELS = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
DEV_PAGES = sorted(p for p, info in LABELS["pages"].items() if info["group"] == "dev")
BASE = "https://broker.example.test/search/results?q=jane"


def _page(body: str) -> str:
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"


# --------------------------------------------------------------------------- labelled layouts


@pytest.mark.parametrize("page", DEV_PAGES)
def test_dev_layout_extracts_every_labelled_record(page: str) -> None:
    info = LABELS["pages"][page]
    records = extract_records((FIXTURES / page).read_bytes(), info["base_url"])
    assert sorted(fold(r.name) for r in records) == sorted(
        fold(label["name"]) for label in info["records"]
    )
    for record in records:
        assert record.url is not None
        assert record.url.startswith(("https://", "http://"))
        assert "javascript" not in record.url.casefold()
        assert record.places, record


def test_layouts_cover_five_dev_and_two_heldout_groups() -> None:
    layouts = {(info["group"], info["layout"]) for info in LABELS["pages"].values()}
    assert len({name for group, name in layouts if group == "dev"}) >= 5
    assert len({name for group, name in layouts if group == "heldout"}) >= 2
    assert sum(len(info["records"]) for info in LABELS["pages"].values()) >= 300


def test_furniture_page_yields_no_furniture_records() -> None:
    for page in (p for p in DEV_PAGES if p.startswith("furniture")):
        info = LABELS["pages"][page]
        names = {r.name for r in extract_records((FIXTURES / page).read_bytes(), info["base_url"])}
        for junk in ("Alan Sponsorton", "Gary Upsell", "Hidden Person", "Hidden Personne",
                     "Mary Support"):  # fmt: skip
            assert not any(junk in n for n in names), (page, junk)
        assert len(names) <= len({label["name"] for label in info["records"]})


CARDS = _page(
    """
<nav><a href="/">Home</a> <a href="/login">Jane Login Doe</a></nav>
<form><input placeholder="First Name"><input placeholder="Last Name"></form>
<div class="results">
 <div class="card">
  <h2><a href="/p/jane-doe-1">Jane Q. Doe</a></h2>
  <p>Age 43</p>
  <p>Lives in Austin, TX</p>
  <p>Previously: Dallas, TX · Round Rock, TX</p>
  <p>4812 Maple Ave, Austin, TX 78745</p>
  <ul><li>(512) 555-0147</li><li>+44 113 496 0321</li></ul>
  <p>jane.doe@example.test</p>
  <p>Relatives: <a href="/p/x">John Doe</a>, <a href="/p/y">Mary Doe</a></p>
  <a href="javascript:alert(1)">Save</a>
 </div>
 <div class="card">
  <h2><a href="javascript:void(0)">DOE, JOHN R</a></h2>
  <p>born 1950</p><p>Lives in Leeds, West Yorkshire</p>
  <a href="mailto:x@example.test">Mail</a> <a href="data:text/html,x">d</a>
  <a href="//cdn.example.test/p/john">View details</a>
 </div>
</div>
<div class="ad sponsored"><b>Sam Sponsor</b>, Age 40, Austin, TX, (512) 555-0100</div>
<footer>Broker Inc, 1 Main Street, Springfield, IL 62701, (217) 555-0100</footer>
"""
)


def test_card_fields() -> None:
    records = extract_records(CARDS, BASE)
    assert [r.name for r in records] == ["Jane Q. Doe", "DOE, JOHN R"]
    jane, john = records
    assert jane.age == 43
    assert jane.places[:3] == ["Austin, TX", "Dallas, TX", "Round Rock, TX"]
    assert jane.addresses and jane.addresses[0].startswith("4812 Maple Ave")
    assert jane.phones == ["+15125550147", "+441134960321"]
    assert jane.emails == ["jane.doe@example.test"]
    assert jane.relatives == ["John Doe", "Mary Doe"]
    assert jane.url == "https://broker.example.test/p/jane-doe-1"
    assert "Lives in Austin" in jane.text
    assert john.birth_year == 1950 and john.age is None
    assert john.places == ["Leeds, West Yorkshire"]
    # Only http(s) links: javascript:, mailto: and data: are never the record's link.
    assert john.url == "https://cdn.example.test/p/john"


def test_table_rows_with_surname_first_and_header_labels() -> None:
    html = _page(
        """<table><tr><th>Name</th><th>Age</th><th>Location</th><th>Relatives</th></tr>
        <tr><td><a href="r?id=1">DOE, JANE Q</a></td><td>43</td><td>Austin, TX<br>Dallas, TX</td>
            <td>John Doe, Mary Doe</td></tr>
        <tr><td><a href="r?id=2">SMITH, ROBERT</a></td><td>61</td><td>Leeds, West Yorkshire</td>
            <td>-</td></tr></table>"""
    )
    jane, bob = extract_records(html, BASE)
    assert (jane.name, jane.age, jane.places) == ("DOE, JANE Q", 43, ["Austin, TX", "Dallas, TX"])
    assert jane.relatives == ["John Doe", "Mary Doe"]
    assert jane.url == "https://broker.example.test/search/r?id=1"
    assert (bob.name, bob.age, bob.places) == ("SMITH, ROBERT", 61, ["Leeds, West Yorkshire"])


def test_definition_list_split_into_records() -> None:
    html = _page(
        """<dl><dt><a href="/a">Jane Doe</a></dt><dd>b. 1983</dd><dd>Current city: Austin, TX</dd>
        <dt><a href="/b">Jim Doe</a></dt><dd>(61)</dd><dd>Past locations: Reno, NV; Omaha, NE</dd>
        </dl>"""
    )
    jane, jim = extract_records(html, BASE)
    assert (jane.name, jane.birth_year, jane.places) == ("Jane Doe", 1983, ["Austin, TX"])
    assert (jim.name, jim.age, jim.places) == ("Jim Doe", 61, ["Reno, NV", "Omaha, NE"])


def test_single_profile_page_and_relatives_list_is_not_records() -> None:
    html = _page(
        """<main><h1>Jane Quinn Doe</h1><p>43 years old</p><p>Lives in Austin, TX</p>
        <h3>Possible relatives</h3>
        <ul><li><a href="/r1">John Doe</a>, age 45, Austin, TX</li>
            <li><a href="/r2">Mary Doe</a>, age 70, Dallas, TX</li></ul></main>"""
    )
    records = extract_records(html, "https://broker.example.test/profile/jane")
    assert len(records) == 1
    assert records[0].name == "Jane Quinn Doe"
    assert records[0].age == 43
    assert "Austin, TX" in records[0].places


def test_record_selector_overrides_detection_and_bad_selector_is_empty() -> None:
    html = _page(
        '<div class="x"><b>Jane Doe</b> Age 43</div><div class="x"><b>Jim Doe</b> Age 50</div>'
        '<p class="y"><b>Ann Roe</b> Age 33, Austin, TX</p>'
    )
    only = extract_records(html, BASE, record_selector="p.y")
    assert [r.name for r in only] == ["Ann Roe"]
    assert extract_records(html, BASE, record_selector="p[[[") == []


def test_no_records_on_a_page_of_furniture() -> None:
    html = _page(
        '<nav><a href="/">Home</a></nav><form><input placeholder="First Name"></form>'
        "<section><h3>People also searched</h3><ul><li>John Smith, Age 40, Austin, TX</li>"
        "<li>Mary Jones, Age 33, Dallas, TX</li></ul></section>"
        '<script type="application/ld+json">{"name": "Jane Doe", "age": 43}</script>'
        "<footer>Jane Doe Corp, 1 Main Street, Austin, TX (512) 555-0100</footer>"
    )
    assert extract_records(html, BASE) == []


@pytest.mark.parametrize(
    ("text", "age", "birth_year"),
    [
        ("Age 43", 43, None),
        ("43 years old", 43, None),
        ("Jane Doe (43)", 43, None),
        ("born 1983", None, 1983),
        ("b. 1983", None, 1983),
        ("Born: March 1983", None, 1983),
    ],
)
def test_age_and_birth_year_forms(text: str, age: int | None, birth_year: int | None) -> None:
    html = _page(
        f'<div class="r"><a href="/a">Jane Doe</a> {text} Austin, TX</div>'
        '<div class="r"><a href="/b">John Roe</a> Age 20 Reno, NV</div>'
    )
    record = extract_records(html, BASE)[0]
    assert (record.age, record.birth_year) == (age, birth_year)


def test_names() -> None:
    for good in ("Jane Doe", "DOE, JANE Q", "Jane Q. Doe", "Mary-Ann O'Neill", "José García"):
        assert looks_like_name(good), good
    for bad in ("Austin, TX", "Phone Number", "View Details", "Jane", "4812 Maple Ave", ""):
        assert not looks_like_name(bad), bad


# --------------------------------------------------------------------------- no results


@pytest.mark.parametrize(
    "text",
    [
        "No results found for Jane Doe",
        "Sorry, we couldn't find anyone named Jane Doe.",
        "0 results",
        "Your search did not match any records.",
        "No records found.",
    ],
)
def test_no_results_detector(text: str) -> None:
    assert page_says_no_results(_page(f"<p>{text}</p>"))


def test_no_results_negative_and_extra_phrases() -> None:
    assert not page_says_no_results(CARDS)
    assert not page_says_no_results(_page("<p>10 results for Jane Doe</p>"))
    assert not page_says_no_results(_page("<script>var s = 'no results found';</script><p>x</p>"))
    assert page_says_no_results(_page("<p>Nobody   HERE by that name</p>"), ["nobody here"])
    assert not page_says_no_results(b"")


# --------------------------------------------------------------------------- hostile input


def test_truncated_page() -> None:
    records = extract_records(CARDS[: len(CARDS) // 2], BASE)
    assert all(isinstance(r, Record) for r in records)


def test_deep_nesting_does_not_recurse() -> None:
    deep = "<div>" * 2000 + "Jane Doe, Age 43, Austin, TX" + "</div>" * 2000
    assert isinstance(extract_records(_page(deep), BASE), list)
    assert isinstance(page_says_no_results(deep), bool)


def test_enormous_page_is_capped() -> None:
    card = '<div class="c"><a href="/p">Jane Doe</a> Age 43 Austin, TX</div>\n'
    html = ("<html><body>" + card * (6 * 1024 * 1024 // len(card))).encode()
    assert len(html) > MAX_INPUT_BYTES
    records = extract_records(html, BASE)
    assert 2 <= len(records) <= 500


def test_invalid_utf8_and_declared_charset() -> None:
    latin = _page(
        '<meta charset="iso-8859-1"><div class="c"><a href="/a">José García</a> Age 30 Miami, FL'
        '</div><div class="c"><a href="/b">Ana Peña</a> Age 40 Tampa, FL</div>'
    ).encode("latin-1")
    names = [r.name for r in extract_records(latin, BASE)]
    assert names == ["José García", "Ana Peña"]
    broken = b"<div class=c><a href=/a>Jane Doe</a> Age 4\xff\xfe3 Austin, TX</div>" * 3
    assert isinstance(extract_records(broken, BASE), list)


def test_rich_markup_and_escapes_stay_literal_data() -> None:
    html = _page(
        '<div class="c"><a href="/a">Jane \x1b[31mDoe</a> Age 43 Austin, TX '
        "[bold red]pwned[/bold red] \u202eevil</div>"
        '<div class="c"><a href="/b">John Roe</a> Age 50 Reno, NV</div>'
    )
    records = extract_records(html, BASE)
    assert records[0].name == "Jane Doe"
    assert "[bold red]pwned[/bold red]" in records[0].text
    for record in records:
        for value in (record.name, record.text, *record.places):
            assert "\x1b" not in value and "\u202e" not in value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=3000), st.binary(max_size=3000)))
def test_extract_never_raises(data: str | bytes) -> None:
    records = extract_records(data, BASE)
    assert isinstance(records, list)
    for record in records:
        assert record.url is None or record.url.startswith(("http://", "https://"))
    assert isinstance(page_says_no_results(data), bool)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["<div>", "</div>", "<a href='javascript:x'>", "Jane Doe",
                                 " Age 43 ", "Austin, TX", "<tr><td>", "<dl><dt>", "\x00",
                                 "<script>", "(512) 555-0147", "</a>"]), max_size=80))  # fmt: skip
def test_extract_never_raises_on_tag_soup(parts: list[str]) -> None:
    for record in extract_records("".join(parts), BASE):
        assert record.url is None or record.url.startswith("https://")


def test_no_results_is_seen_on_a_minified_page() -> None:
    page = (
        "<html><body><h1>Search results</h1>"
        "<p>We could not find anyone named Jane Doe.</p></body></html>"
    )
    spaced = page.replace("</h1>", "</h1>\n")
    assert page_says_no_results(spaced)
    assert page_says_no_results(page)
