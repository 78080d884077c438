"""What real results pages do that the generic extractor and the matcher must
cope with (the real-layouts README's list), on small hand-written pages."""

from __future__ import annotations

from datetime import date

import pytest

from exposure.extract import extract_records
from exposure.extract.fields import glued_age, marked_band
from exposure.model import Profile
from exposure.people.matching import DEFAULT_THRESHOLD, ProfileMatcher

BASE = "https://broker.example.test/search?q=jane+doe"
TODAY = date(2026, 6, 1)
JANE = Profile(
    id="jane",
    names=["Jane Doe"],
    locations=["Toorak, VIC 3142"],
    addresses=["20 Tazewell Circuit, Toorak, VIC 3142"],
    birth_date=date(1983, 5, 14),  # 43 on TODAY
)


def _page(cards: str) -> str:
    return f"<html><body><main><h1>Results for Jane Doe</h1>{cards}</main></body></html>"


def _found(records: list, profile: Profile = JANE) -> list:
    matcher = ProfileMatcher(profile, today=TODAY)
    return [
        r
        for r, m in zip(records, matcher.score_many(records), strict=True)
        if m.confidence >= DEFAULT_THRESHOLD
    ]


def test_name_element_holding_the_location_in_a_child_block_names_only_the_person() -> None:
    card = (
        '<a class="serp-card" href="/name/Jane-Doe/Toorak-VIC/{id}">'
        '<div class="name-wrap">{name}<div class="person-location">Toorak,\n  VIC</div></div>'
        '<div class="age-border"><span class="person-age">{age}</span></div></a>'
    )
    html = _page(
        card.format(id="r1", name="Jane M Doe", age=43)
        + card.format(id="r2", name="Jane Doe", age=70)
    )
    records = extract_records(html, BASE)
    assert [r.name for r in records] == ["Jane M Doe", "Jane Doe"]
    assert records[0].places[0] == "Toorak, VIC"


def test_name_link_with_a_line_break_before_the_place_names_only_the_person() -> None:
    card = (
        '<div class="card"><h2 class="card-title"><a href="/p/{id}">'
        '<span class="larger">Jane Doe</span><br><span class="grey">{place}</span></a></h2>'
        '<h3>Past Addresses:</h3><a href="/addr/{id}">Sale, VIC</a></div>'
    )
    html = _page(
        card.format(id="r1", place="Toorak, VIC") + card.format(id="r2", place="Age 70 • Sale, VIC")
    )
    records = extract_records(html, BASE)
    assert [r.name for r in records] == ["Jane Doe", "Jane Doe"]
    assert records[0].places[0] == "Toorak, VIC"
    assert records[1].age == 70


@pytest.mark.parametrize(
    ("line", "age"),
    [
        ("Jane Doe, 43", 43),
        ("Jane Doe (43)", 43),
        ("Jane Doe, Age 43", 43),
        ("Jane Doe 43 yrs", 43),
        ("Jane Doe, 43 | Toorak", 43),
        ("Jane Doe, 123 Main St", None),  # a street, not an age
        ("Jane Doe, 430", None),
        ("Jane Doe, Toorak", None),
    ],
)
def test_age_glued_to_the_name(line: str, age: int | None) -> None:
    assert glued_age("Jane Doe", [line]) == age


def test_glued_age_is_the_records_not_a_relatives() -> None:
    cards = "".join(
        f'<div class="card"><div class="title">{name}, {age}</div>'
        f"<div>Resides in {city}, VIC</div>"
        f'<div>Related To <a href="/p/x{i}">John Doe, 84</a></div>'
        f'<a href="/people/{i}">See Results</a></div>'
        for i, (name, age, city) in enumerate(
            [("Jane Doe", 43, "Toorak"), ("Jane Doe", 61, "Sale")]
        )
    )
    records = extract_records(_page(cards), BASE)
    assert [r.age for r in records] == [43, 61]


def test_a_row_of_age_bands_gives_the_marked_band_only() -> None:
    bands = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 64)]

    def card(rid: str, active: tuple[int, int] | None) -> str:
        marked = ' class="active"'
        spans = "".join(f"<span{marked if b == active else ''}>{b[0]}-{b[1]}</span>" for b in bands)
        spans += "<span>65+</span>"
        return (
            f'<div class="record"><h2><span itemprop="name">Jane Doe</span></h2>'
            f'<a href="/person/{rid}">Details</a><div>Toorak, VIC 3142</div>'
            f'<div class="age"><label>Age</label> {spans}</div></div>'
        )

    records = extract_records(_page(card("r1", (35, 44)) + card("r2", None)), BASE)
    assert [r.age_range for r in records] == [(35, 44), None]
    assert marked_band(["65+"]) == (65, 120)
    assert marked_band(["View"]) is None


def test_an_empty_anchor_is_not_the_records_own_link() -> None:
    cards = "".join(
        f'<div class="mb-5"><div class="h4"><a class="persons" href="/person/{rid}">'
        f"<span>Jane Doe</span></a>, age {age}</div>"
        f'<div class="city"><a href="/city/-VIC"><span></span></a></div>'
        f"<div>12 Elm Street, Toorak, VIC 3142</div></div>"
        for rid, age in (("r1", 43), ("r2", 70))
    )
    records = extract_records(_page(cards), BASE)
    assert [r.url for r in records] == [
        "https://broker.example.test/person/r1",
        "https://broker.example.test/person/r2",
    ]


def _record(name: str, age: int | None, place: str) -> object:
    from exposure.extract import Record

    return Record(name, age=age, places=[place], url=f"https://b.test/{name}")


def test_mistyped_region_does_not_contradict_her_city() -> None:
    record = _record("Jane Doe", 43, "Toorak, VKC")
    assert _found([record])


def test_two_slips_with_a_middle_initial_are_still_her_name_with_her_city_and_age() -> None:
    tiana = Profile(
        id="t", names=["Tiana White"], locations=["Toorak, VIC"], birth_date=JANE.birth_date
    )
    assert _found([_record("Tians L Whiet", 43, "Toorak, VIC")], tiana)
    assert not _found([_record("Tians L Whiet", 70, "Sale, VIC")], tiana)


def test_a_slip_in_a_short_given_name_counts_only_beside_one_in_a_long_family_name() -> None:
    amy = Profile(
        id="a", names=["Amy Tiggeman"], locations=["Roselands, VIC"], birth_date=JANE.birth_date
    )
    assert _found([_record("Amf Rose Tiggeuan", 43, "Rosealnds, VIC")], amy)
    assert not _found([_record("Amf Rose Tiggeuan", 43, "Sale, VIC")], amy)
    assert not _found([_record("Amf Rose Tiggeuan", 70, "Roselands, VIC")], amy)
    ami = Profile(id="b", names=["Amy Doe"], locations=["Toorak, VIC"], birth_date=JANE.birth_date)
    # A short family name gives no such licence: "Ami Dee" is another name.
    assert not _found([_record("Ami Dee", 43, "Sale, VIC")], ami)


def test_a_replaced_given_name_and_a_mistyped_family_name_need_her_city_and_age() -> None:
    freya = Profile(
        id="f", names=["Freya Mason"], locations=["Clifton Springs, WA"], birth_date=JANE.birth_date
    )
    assert _found([_record("Beth James Maso", 43, "Clifton Springs, WA")], freya)
    assert not _found([_record("Beth James Maso", 43, "Perth, WA")], freya)
    assert not _found([_record("Beth James Maso", 58, "Clifton Springs, WA")], freya)
    assert not _found([_record("Beth James Moss", 43, "Clifton Springs, WA")], freya)


def test_her_given_name_with_another_surname_needs_her_city_and_age() -> None:
    assert _found([_record("Jane Smith", 43, "Toorak, VIC")])  # a married name
    assert not _found([_record("Jane Smith", 43, "Sale, VIC")])
    assert not _found([_record("Jane Smith", 60, "Toorak, VIC")])
    assert not _found([_record("Mary Smith", 43, "Toorak, VIC")])


def test_a_few_years_off_is_noise_a_generation_off_needs_the_page_to_tell_them_apart() -> None:
    assert _found([_record("Jane Doe", 48, "Toorak, VIC")])  # a stale birth year
    # A generation off, alone: her record with a wrong birth date is likelier than
    # a namesake in her town. Her mother of her name is told apart when the page
    # shows it: the record lists a relative of her name, or her own record is there.
    mother = _record("Jane Doe", 63, "Toorak, VIC")
    assert _found([mother])
    mother.relatives = ["Jane Doe"]
    assert not _found([mother])
    assert _found(
        [_record("Jane Doe", 43, "Toorak, VIC"), _record("Jane Doe", 63, "Toorak, VIC")]
    ) == [_record("Jane Doe", 43, "Toorak, VIC")]
