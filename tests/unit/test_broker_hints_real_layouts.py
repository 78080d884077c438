"""The catalogue's per-broker hints on the real-layouts templates (issue 12 item 3).

Each of the eight catalogued brokers with a template in
``../shared/data/brokers/real-layouts/templates`` renders a results page of
synthetic records built here; extraction with that broker's ``hints`` from the
bundled ``data/brokers.toml`` must give every record once, with its name, its
own record link (the URL holding its id), its age (or age band) and its
current place. The templates are imported from ../shared at test time, never
copied into the project.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from exposure.catalogues.brokers import Broker, load_brokers
from exposure.extract import extract_records, page_says_no_results
from exposure.extract.hints import compiled
from exposure.extract.records import Record

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO.parent / "shared" / "data" / "brokers" / "real-layouts" / "templates"
CATALOGUED = (
    "spokeo",
    "whitepages",
    "truepeoplesearch",
    "fastpeoplesearch",
    "thatsthem",
    "clustrmaps",
    "peoplefinders",
    "usphonebook",
)
QUERY = "Jane Citizen"
ID = re.compile(r"u\d{3}-(?:self|namesake\d+|surname\d+|kin\d+|other\d+)")
STATE_NAMES = {
    "NSW": "New South Wales",
    "SA": "South Australia",
    "TAS": "Tasmania",
    "WA": "Western Australia",
    "QLD": "Queensland",
}


def _record(
    rid: str,
    given: str,
    middle: str,
    surname: str,
    age: int | None,
    street: str,
    city: str,
    region: str,
    postcode: str,
    *,
    phones: tuple[str, ...] = (),
    relatives: tuple[str, ...] = (),
    past: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One record in the shape realpages.py's ``as_record`` gives the templates."""
    return {
        "id": rid,
        "given": given,
        "middle": middle,
        "surname": surname,
        "age": age,
        "street": street,
        "city": city,
        "region": region,
        "region_name": STATE_NAMES[region],
        "postcode": postcode,
        "phones": list(phones),
        "emails": [],
        "relatives": list(relatives),
        "past_places": list(past),
    }


# The person, a namesake elsewhere, a relative whose "related to" names her,
# someone with no age, a same-surname person and a stranger: two-word cities,
# middle names and initials, with and without phones and previous places.
RECORDS = [
    _record(
        "u001-self",
        "Jane",
        "Lee",
        "Citizen",
        43,
        "12 Main Street",
        "Dubbo",
        "NSW",
        "2830",
        phones=("(02) 6882 1234",),
        relatives=("Tom Citizen", "Ruby Citizen"),
        past=("Ballarat, VIC",),
    ),
    _record(
        "u001-namesake0",
        "Jane",
        "",
        "Citizen",
        71,
        "4 Long Road",
        "Mount Gambier",
        "SA",
        "5290",
        relatives=("Leo Citizen", "Ivy Citizen", "Noah Citizen"),
        past=("Darwin, NT", "Cairns, QLD"),
    ),
    _record(
        "u001-kin0",
        "Oscar",
        "A",
        "Citizen",
        29,
        "7 High Street",
        "Surry Hills",
        "NSW",
        "2010",
        phones=("0412 345 678", "(02) 9211 0000"),
        relatives=("Grace Citizen", QUERY, "Mia Citizen"),
    ),
    _record(
        "u001-other0",
        "Harvey",
        "James",
        "Nguyen",
        None,
        "1 Esplanade",
        "Cairns",
        "QLD",
        "4870",
        relatives=("Keira Nguyen",),
    ),
    _record(
        "u001-surname0",
        "Keira",
        "",
        "Citizen",
        58,
        "88 Bay Road",
        "Launceston",
        "TAS",
        "7250",
        phones=("(03) 6331 2222",),
        past=("Launceston, TAS",),
    ),
    _record(
        "u001-other1",
        "Annie",
        "Marie",
        "Walsh",
        36,
        "23 Ocean Drive",
        "Bunbury",
        "WA",
        "6230",
        relatives=("Tom Walsh", "Grace Walsh"),
        past=("Mount Gambier, SA",),
    ),
]


def _template(site: str) -> ModuleType:
    if not TEMPLATES.is_dir():
        pytest.skip(f"real-layouts templates not found at {TEMPLATES} (../shared is missing)")
    spec = importlib.util.spec_from_file_location(f"real_layouts_{site}", TEMPLATES / f"{site}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Broker]:
    """The bundled catalogue, read by the project's own loader."""
    return {b.id: b for b in load_brokers(REPO / "data" / "brokers.toml").brokers}


def _page(site: str) -> str:
    return str(_template(site).render_results(QUERY, RECORDS))


def _base(site: str) -> str:
    return f"http://127.0.0.1:18140/{site}/search?q=Jane+Citizen"


def _own(records: list[Record], rid: str) -> list[Record]:
    out = []
    for record in records:
        match = ID.search(record.url or "")
        if match and match.group(0) == rid:
            out.append(record)
    return out


def _name_ok(name: str, rec: dict[str, Any]) -> bool:
    """Given and family name, with the middle name, its initial or nothing between."""
    words = name.split()
    if len(words) < 2 or words[0] != rec["given"] or words[-1] != rec["surname"]:
        return False
    middle = " ".join(words[1:-1])
    return middle in ("", rec["middle"], rec["middle"][:1])


def _place_ok(place: str, rec: dict[str, Any]) -> bool:
    city, _, region = place.rpartition(", ")
    return city == rec["city"] and region in (rec["region"], rec["region_name"])


@pytest.mark.parametrize("site", CATALOGUED)
def test_catalogued_broker_has_hints(site: str, catalogue: dict[str, Broker]) -> None:
    """Each catalogued broker with a real-layouts template carries a hints table."""
    assert site in catalogue
    hints = catalogue[site].hints
    assert hints.record, f"{site}: no record selector"
    assert "name" in hints.fields or "link" in hints.fields


@pytest.mark.parametrize("site", CATALOGUED)
def test_hints_extract_every_record_of_the_real_layout(
    site: str, catalogue: dict[str, Broker]
) -> None:
    broker = catalogue[site]
    records = extract_records(
        _page(site), _base(site), hints=broker.hints, default_region=broker.country
    )
    assert len(records) == len(RECORDS), [(r.name, r.url) for r in records]
    for rec in RECORDS:
        own = _own(records, rec["id"])
        assert len(own) == 1, f"{site}: {rec['id']} extracted {len(own)} times"
        got = own[0]
        assert _name_ok(got.name, rec), f"{site}: {rec['id']} named {got.name!r}"
        if rec["age"] is None:
            assert got.age is None and got.age_range is None, f"{site}: {rec['id']}"
        elif got.age_range is not None:  # a site that shows only an age band
            assert got.age is None
            assert got.age_range[0] <= rec["age"] <= got.age_range[1], f"{site}: {rec['id']}"
        else:
            assert got.age == rec["age"], f"{site}: {rec['id']} age {got.age}"
        assert got.places, f"{site}: {rec['id']} has no place"
        assert _place_ok(got.places[0], rec), f"{site}: {rec['id']} lives in {got.places[0]!r}"


@pytest.mark.parametrize("site", CATALOGUED)
def test_every_hint_selector_points_at_its_field(site: str, catalogue: dict[str, Broker]) -> None:
    """Each hint reads what it says, in every record, on its own: the record
    selector matches each record once, the name hint holds the name, the age
    hint the age, the link hint the record's own link (generic reading would
    hide a hint that reads the wrong thing)."""
    from lxml import html as lxml_html

    hints = catalogue[site].hints
    assert hints.record
    root = lxml_html.fromstring(_page(site))
    elements = compiled(hints.record)(root)
    visible = [el for el in elements if "d-none" not in (el.get("class") or "").split()]
    name = hints.fields.get("name")
    if name is not None and name.selector:  # an ad card among the records has no name
        visible = [el for el in visible if compiled(name.selector)(el)]
    assert len(visible) == len(RECORDS)
    want = {
        "name": lambda rec: f"{rec['given']} ",
        "age": lambda rec: str(rec["age"]),
        "link": lambda rec: rec["id"],
    }
    assert set(hints.fields) <= set(want), "a new kind of hint needs a check here"
    for field_name, hint in hints.fields.items():
        for el, rec in zip(visible, RECORDS, strict=True):  # the page lists them in order
            if field_name == "age" and rec["age"] is None:
                continue
            nodes = [el] if hint.selector is None else compiled(hint.selector)(el)
            values = [
                (n.get(hint.attribute) or "") if hint.attribute else n.text_content() for n in nodes
            ]
            expected = want[field_name](rec)
            assert values, f"{site}: hints.{field_name} matches nothing in {rec['id']}"
            assert expected in values[0], f"{site}: hints.{field_name} reads {values[0]!r}"


@pytest.mark.parametrize("site", CATALOGUED)
def test_no_results_hint_is_not_on_a_page_with_results(
    site: str, catalogue: dict[str, Broker]
) -> None:
    """A broker's no-results words never appear on its page of results (that
    would make every listing absent)."""
    assert not page_says_no_results(_page(site), catalogue[site].no_results)


@pytest.mark.parametrize(
    ("site", "page"),
    [
        (
            "truepeoplesearch",
            "<html><body><div class='content-center'><span>We could not find any records "
            "for that search criteria.</span></div></body></html>",
        ),
        (
            "thatsthem",
            "<html><body><div class='container'><span class='ThatsThem-results-preheader'>"
            "We did not find any results for Jane Citizen</span></div></body></html>",
        ),
    ],
)
def test_no_results_hint_reads_the_sites_empty_page(
    site: str, page: str, catalogue: dict[str, Broker]
) -> None:
    """The site's own wording for an empty search is known from its hints (the
    generic phrases alone may not know it)."""
    assert catalogue[site].no_results
    assert page_says_no_results(page, catalogue[site].no_results)
