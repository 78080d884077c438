"""Structures real results pages use that the generic extractor once misread.

Each page below is our own markup, written to the shape of a real broker page
(a lone card, a div grid with column labels, a whole-card link with mobile and
desktop copies, a city in its own classed span, "City,</span> <span>ST"). The
people are invented. Every test fails on the extractor before these fixes.
"""

from __future__ import annotations

import pytest

from exposure.extract import extract_records, looks_like_name

BASE = "http://127.0.0.1:9/search?q=x"


def _one(html: str) -> object:
    records = extract_records(html, BASE)
    assert len(records) == 1, [(r.name, r.places) for r in records]
    return records[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mark A West", True),  # a family name that is also a compass word
        ("Lois Lane", True),
        ("WEST, Mark", True),
        ("North Dakota", False),  # the same words in a region's place
        ("Read More", False),
        ("Main Street", False),
        ("Memory Lane", False),
    ],
)
def test_family_names_that_are_label_words(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


def test_cards_of_a_family_named_like_a_label_word_are_read() -> None:
    """Every card here is someone called West; the city sits alone in a span and
    the state only in the heading."""
    cards = "".join(
        f"""<li class="person-card">
          <h2 class="person-card__name">
            <a href="/person/mark-west/{i}">Mark West</a>, age {age}</h2>
          <div class="person-card__location"><span class="person-card__city">Dallas</span></div>
          <div class="person-card__relatives">Associated persons:
            <a href="#">Pat Sample</a>, <a href="#">Robin Example</a></div>
        </li>"""
        for i, age in enumerate((28, 46, 64), start=1)
    )
    html = f"<main><h1>Mark West in Dallas, TX</h1><ul class='results'>{cards}</ul></main>"
    records = extract_records(html, BASE)
    assert [r.age for r in records] == [28, 46, 64]
    assert all(r.name == "Mark West" and r.places[:1] == ["Dallas"] for r in records)
    assert [r.url for r in records] == [
        f"http://127.0.0.1:9/person/mark-west/{i}" for i in (1, 2, 3)
    ]


def test_a_lone_card_is_one_record_not_a_place_named_record() -> None:
    html = """<div class="card card-summary" data-detail-link="/find/person/p1">
      <div class="h4">Carl Ostrander</div>
      <div><span class="content-label">Age </span><span class="content-value"> 71 </span></div>
      <div><span class="content-label">Lives in </span>
           <span class="content-value">Crown Point, IN</span></div>
      <div><span class="content-label">Used to live in </span>
           <span class="content-value">South Holland IL, Gary IN</span></div>
      <div><span class="content-label">Related to </span>
           <span class="content-value">Joyce Doyle, Brittany Hoard</span></div>
    </div>"""
    record = _one(html)
    assert record.name == "Carl Ostrander"  # type: ignore[attr-defined]
    assert record.age == 71  # type: ignore[attr-defined]
    assert record.places[0] == "Crown Point, IN"  # type: ignore[attr-defined]
    assert record.url == "http://127.0.0.1:9/find/person/p1"  # type: ignore[attr-defined]


def test_a_lone_card_of_labelled_rows_is_one_record() -> None:
    """Rows "Known as:", "Related to:", "Has lived in:" are parts of the card, and
    "Chicago,</span> <span>IL" is one place."""
    places = "".join(
        f'<span class="nowrap" itemprop="address"><span itemprop="addressLocality">{c}</span>,'
        f' <span itemprop="addressRegion">IL</span></span>'
        for c in ("Chicago", "River Forest", "Oak Park")
    )
    html = f"""<a class="pfl" href="/people/Dana-Ostrander-X1" itemscope
          itemtype="http://schema.org/Person">
      <span class="head"><span class="name" itemprop="name">Dana I Ostrander</span>
        <span class="age"><small>age:</small> 59</span></span>
      <span class="r"><span class="col">Known as:</span>
        <span class="info"><span>Dana Ostrander</span> <span>Dani Ostrander</span></span></span>
      <span class="r"><span class="col">Related to:</span>
        <span class="info"><span>Ethel Makely</span> <span>Victor Berrios, 47</span></span></span>
      <span class="r"><span class="col">Has lived in:</span>
        <span class="info">{places}</span></span>
    </a>"""
    record = _one(html)
    assert record.name == "Dana I Ostrander"  # type: ignore[attr-defined]
    assert record.age == 59  # type: ignore[attr-defined]
    assert record.places[:3] == ["Chicago, IL", "River Forest, IL", "Oak Park, IL"]  # type: ignore[attr-defined]


def test_column_labels_above_a_whole_card_link_do_not_make_it_a_relative() -> None:
    """A div grid's header row says "Relatives / Associates" before the cards; the
    card (one <a>, with a mobile and a desktop copy) keeps its name, age and link."""
    html = """<div class="row">
      <div class="row results-header d-none d-lg-flex">
        <div class="col-3">Name</div><div class="col-1">Age</div>
        <div class="col-2">Has Lived In</div><div class="col-3">Relatives / Associates</div>
        <div class="col-3">Full Report</div>
      </div>
      <div id="results">
        <a class="record" href="/products/name?first=ben&amp;last=ostrander&amp;id=G-1">
        <div class="record__data d-lg-none"><h4 class="record__title">Ben Ostrander, 55</h4>
          <span>Lived in</span><ul><li><span>Tampa FL</span></li></ul>
          <span>Related to</span><ul><li><span>Gabrielle Ostrander</span></li></ul></div>
        <div class="record__data d-none d-lg-block"><h4 class="record__title">Ben Ostrander</h4>
          <span>55</span><ul><li><span>Tampa, FL</span></li></ul>
          <ul><li><span>Gabrielle Ostrander</span></li></ul>
          <button>View Details</button></div>
      </a></div>
    </div>"""
    record = _one(html)
    assert record.name == "Ben Ostrander"  # type: ignore[attr-defined]
    assert record.age == 55  # type: ignore[attr-defined]
    assert "Tampa, FL" in record.places  # type: ignore[attr-defined]
    assert record.url == "http://127.0.0.1:9/products/name?first=ben&last=ostrander&id=G-1"  # type: ignore[attr-defined]


def test_a_trailing_comma_joins_only_a_region_not_the_next_label() -> None:
    """ "Resides in Devonport," with no state, then "Related To": the label is not
    part of the place."""
    cards = "".join(
        f"""<a class="item" href="/p/{i}"><div class="title">Ben Ostrander, {age}</div>
          <div><strong>Resides in {town}, </strong></div>
          <div><strong>Related To</strong><span>Annie Ostrander, Oscar Ostrander</span></div></a>"""
        for i, (age, town) in enumerate(((60, "Devonport"), (41, "Belrose")))
    )
    records = extract_records(f"<main>{cards}</main>", BASE)
    assert [r.places[:1] for r in records] == [["Devonport"], ["Belrose"]]
    assert records[0].relatives == ["Annie Ostrander", "Oscar Ostrander"]


def test_an_age_printed_bare_in_a_column_comes_from_the_cards_data_age() -> None:
    """The card prints "53" alone under a column header; its ``data-age`` says what it is.
    A bare number is never read as an age by itself."""
    cards = "".join(
        f"""<a class="record" data-age="{age}" data-label="Ben Ostrander"
              href="/products/name?id=G{i}">
          <h4 class="record__title">Ben Ostrander</h4>
          <div class="col-1"><span>{age}</span></div>
          <ul><li><span>Orlando, FL</span></li></ul></a>"""
        for i, age in enumerate((53, 61))
    )
    records = extract_records(f"<main><div id='results'>{cards}</div></main>", BASE)
    assert [r.age for r in records] == [53, 61]
    bare = cards.replace('data-age="53"', "").replace('data-age="61"', "")
    assert [r.age for r in extract_records(f"<main>{bare}</main>", BASE)] == [None, None]
