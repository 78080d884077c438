"""Generate a BLIND labelled people-search fixture set under tests/fixtures/brokers_blind/.

Why: the development fixtures (bench/make_fixtures.py) score 1.000 everywhere,
which says little about pages the extractor and matcher were never shown.
This set was written without reading exposure/extract.py or
exposure/matching.py, in four layouts of its own, with its own record mix and
corruption model, and must never be used for tuning (see bench/BLIND.md).

Layouts (each imitates a kind of real page in spirit; nothing copied):

- ``rows``: Bootstrap-like result rows; the name is a link inside an ``<h2>``
  that also holds an "Age: 43" badge; details are sibling ``<div>``\\ s of
  label/value spans ("Lives in", "Used to live in", "Related to", "Phone
  numbers"); a filter sidebar with age and state facets.
- ``tworow``: a results table where each person spans two ``<tr>``: a name row
  ("DOE, Jane Q" + age) and a details row; phones as "(512) 555-0147"; one
  sponsored row and a pager row.
- ``microdata``: ``<li>`` cards in an ``<ol>`` with schema.org Person microdata
  (nested PostalAddress, relatives as nested Person with their own
  ``itemprop="name"``), adverts interleaved between results that name the
  searched person, and a "People also searched for" sidebar of linked names.
- ``uk``: a 192.com-spirit UK page: "Siobhan O'Neill, Leeds, LS1 — Age guide
  35-39", phones "0113 496 0321", "Born 1986" on some records, electoral-roll
  year ranges, other occupants.

Deterministic (seeded): ``python bench/make_blind_fixtures.py`` rewrites the
same bytes. Same fictional people as tests/fixtures/brokers/profiles.json
(copied next to the pages so bench/match_quality.py --fixtures DIR can read
it). Labels: page -> {layout, group: "blind", profile, base_url, records:
[{name, truth: person|linked|other, profile, slug}]}. Everything is fictional:
555-01xx numbers, Ofcom drama numbers, example.test domains.
"""

from __future__ import annotations

import html
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE_PROFILES = REPO / "tests" / "fixtures" / "brokers" / "profiles.json"
OUT = REPO / "tests" / "fixtures" / "brokers_blind"
TODAY = date(2026, 6, 1)
SEED = 4417_2026

# Nicknames a broker might print instead of the given name (our choice, common ones).
NICKS = {
    "William": ["Bill", "Will"],
    "Margaret": ["Peggy", "Maggie"],
    "Robert": ["Bob", "Rob"],
    "Michael": ["Mike"],
    "David": ["Dave"],
    "Jane": ["Janie"],
}
# Which profile each page searches for (every US/Canadian profile appears once or twice;
# Anna (Berlin) is left out: a US-style broker listing her would be unrealistic).
PAGE_PROFILES = {
    "rows": ["jane", "jose", "robert", "priya"],
    "tworow": ["william", "margaret", "michael", "david"],
    "microdata": ["margaret", "jose", "david", "michael"],
    "uk": ["siobhan", "siobhan", "siobhan"],
}

US_OTHER = [
    ("Albuquerque", "NM"), ("Billings", "MT"), ("Cleveland", "OH"), ("Des Moines", "IA"),
    ("Fort Worth", "TX"), ("Grand Rapids", "MI"), ("Knoxville", "TN"), ("Lexington", "KY"),
    ("Little Rock", "AR"), ("Memphis", "TN"), ("Nashville", "TN"), ("Pittsburgh", "PA"),
    ("Provo", "UT"), ("Sacramento", "CA"), ("San Antonio", "TX"), ("St. Louis", "MO"),
    ("Syracuse", "NY"), ("Toledo", "OH"), ("Jacksonville", "FL"), ("Spokane Valley", "WA"),
]  # fmt: skip
CA_OTHER = [("Edmonton", "AB"), ("Regina", "SK"), ("Victoria", "BC"), ("Hamilton", "ON")]
UK_OTHER = [
    ("Bradford", "West Yorkshire", "BD1"), ("Sheffield", "South Yorkshire", "S1"),
    ("Manchester", "Greater Manchester", "M1"), ("Hull", "East Yorkshire", "HU1"),
    ("Wakefield", "West Yorkshire", "WF1"), ("Harrogate", "North Yorkshire", "HG1"),
    ("Bristol", "Avon", "BS1"),
]  # fmt: skip
UK_DISTRICT = {"Leeds": "LS1", "York": "YO1"}
STATE_LONG = {
    "TX": "Texas", "OR": "Oregon", "FL": "Florida", "WA": "Washington", "MA": "Massachusetts",
    "IL": "Illinois", "CO": "Colorado", "ON": "Ontario", "ID": "Idaho", "BC": "British Columbia",
}  # fmt: skip
GIVEN = [
    "Abigail", "Bernard", "Cecilia", "Dwight", "Eleanor", "Franklin", "Gloria", "Howard",
    "Ingrid", "Jerome", "Kathleen", "Leonard", "Miriam", "Norman", "Ophelia", "Preston",
    "Roxanne", "Sheldon", "Theresa", "Vernon", "Winifred", "Clifford", "Delia", "Russell",
    "Marlene", "Stanley", "Joanne", "Curtis",
]  # fmt: skip
UK_GIVEN = [
    "Aoife", "Ciaran", "Niamh", "Declan", "Orla", "Padraig", "Gemma", "Callum", "Bethany",
    "Rhys", "Imogen", "Alistair", "Kerry", "Fergus",
]  # fmt: skip
FAMILY = [
    "Ashworth", "Barrington", "Caldwell", "Dunmore", "Ellsworth", "Fenwick", "Garrison",
    "Hollister", "Ingersoll", "Kensington", "Lockhart", "Merriweather", "Northcott", "Prescott",
    "Radcliffe", "Stanhope", "Thornbury", "Vandermeer", "Wakefield", "Yarborough",
]  # fmt: skip
UK_FAMILY = ["Hargreaves", "Sutcliffe", "Ackroyd", "Pickles", "Brennan", "Murgatroyd", "Kaur"]
STREET = ["Elmwood", "Ridge", "Meadow", "Harbor", "Summit", "Brookside", "Laurel", "Foxglove"]
SUFFIX = ["Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Terrace", "Close"]


@dataclass
class Place:
    city: str
    region: str = ""  # US/CA state code or UK county
    district: str = ""  # UK postcode district (LS1)


@dataclass
class Address:
    street: str
    city: str
    region: str = ""
    postcode: str = ""


@dataclass
class Shown:
    """A record as a page prints it, plus its label."""

    name: str
    truth: str  # person | linked | other
    age: int | None = None
    birth_year: int | None = None
    places: list[Place] = field(default_factory=list)  # first = current
    spell_state: bool = False  # print "Texas" instead of "TX"
    address: Address | None = None
    phones: list[str] = field(default_factory=list)  # E.164
    relatives: list[str] = field(default_factory=list)
    slug: str = ""


# --------------------------------------------------------------------------- profiles


@dataclass
class Person:
    """A profile as the generator sees it (parsed once from profiles.json)."""

    id: str
    given: str
    middle: str
    family: str
    aliases: list[str]
    birth: date
    places: list[Place]
    address: Address | None
    phone: str
    country: str  # US | CA | GB

    @property
    def age(self) -> int:
        b = self.birth
        return TODAY.year - b.year - ((TODAY.month, TODAY.day) < (b.month, b.day))


def _parse_place(text: str) -> Place:
    parts = [p.strip() for p in text.split(",")]
    if parts[-1] in ("UK", "Canada"):
        parts = parts[:-1]
    city = parts[0]
    return Place(city, parts[1] if len(parts) > 1 else "", UK_DISTRICT.get(city, ""))


def _parse_address(text: str) -> Address:
    parts = [p.strip() for p in text.split(",")]
    m = re.fullmatch(r"([A-Z]{2}) (.+)", parts[-1])
    if m:  # "4812 Maple Avenue, Austin, TX 78745"
        return Address(parts[0], parts[1], m.group(1), m.group(2))
    m = re.fullmatch(r"(.+?) ([A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})", parts[-1])
    if m:  # "14 Park Lane, Leeds LS1 4AP"
        return Address(parts[0], m.group(1), "", m.group(2))
    raise ValueError(f"unparsed address {text!r}")


def load_people() -> dict[str, Person]:
    out = {}
    for p in json.loads(SOURCE_PROFILES.read_text(encoding="utf-8")):
        words = p["names"][0].split()
        loc = p["locations"][0]
        country = "GB" if "UK" in loc else "CA" if "Canada" in loc else "US"
        out[p["id"]] = Person(
            id=p["id"],
            given=words[0],
            middle=" ".join(words[1:-1]),
            family=words[-1],
            aliases=p["names"][1:],
            birth=date.fromisoformat(p["birth_date"]),
            places=[_parse_place(x) for x in p["locations"]],
            address=_parse_address(p["addresses"][0]) if p["addresses"] else None,
            phone=p["phones"][0],
            country=country,
        )
    return out


# --------------------------------------------------------------------------- records


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(word: str, rng: random.Random) -> str:
    """One plausible keying error inside a word of 5+ letters."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double", "vowel"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    vowels = [j for j in range(1, len(word)) if word[j] in "aeiou"]
    if not vowels:
        return word[:i] + word[i + 1 :]
    j = rng.choice(vowels)
    return word[:j] + rng.choice([v for v in "aeiou" if v != word[j]]) + word[j + 1 :]


def _other_places(person: Person) -> list[Place]:
    if person.country == "GB":
        return [Place(c, r, d) for c, r, d in UK_OTHER]
    pool = CA_OTHER if person.country == "CA" else US_OTHER
    return [Place(c, r) for c, r in pool]


def _fake_phone(person: Person, rng: random.Random) -> str:
    while True:
        if person.country == "GB":
            area = rng.choice(["113", "114", "161", "117"])
            phone = f"+44{area}496{rng.randrange(0, 1000):04d}"
        else:
            area = rng.choice(["512", "214", "503", "208", "305", "407", "206", "509", "416",
                               "604", "617", "508", "312", "630", "303", "720"])  # fmt: skip
            phone = f"+1{area}5550{rng.randrange(100, 200)}"
        if phone != person.phone:
            return phone


def _street(rng: random.Random, uk: bool = False) -> str:
    number = rng.randrange(1, 180) if uk else rng.randrange(3, 9800)
    return f"{number} {rng.choice(STREET)} {rng.choice(SUFFIX)}"


def _abbreviate(street: str, rng: random.Random) -> str:
    for long, short in (("Avenue", "Ave"), ("Street", "St"), ("Road", "Rd"), ("Lane", "Ln"),
                        ("Apartment", "Apt"), ("Drive", "Dr"), ("Court", "Ct")):  # fmt: skip
        if rng.random() < 0.6:
            street = street.replace(long, short)
    return street.replace("Apt ", "#") if rng.random() < 0.3 else street


def true_name(p: Person, rng: random.Random) -> str:
    kinds = ["full", "no_middle", "no_middle", "initial", "nick", "typo", "ascii", "alias"]
    kind = rng.choice(kinds)
    if kind == "nick" and p.given in NICKS:
        return f"{rng.choice(NICKS[p.given])} {p.family}"
    if kind == "alias" and p.aliases:
        return p.aliases[0]
    if kind == "initial" and p.middle:
        return f"{p.given} {p.middle[0]} {p.family}"  # no full stop: "Jane Q Doe"
    if kind == "typo":
        if len(p.family) >= 5 and rng.random() < 0.7:
            return f"{p.given} {_typo(p.family, rng)}"
        return f"{_typo(p.given, rng)} {p.family}"
    if kind == "ascii":
        return ascii_fold(f"{p.given} {p.family}")
    if kind == "full":
        return " ".join(x for x in (p.given, p.middle, p.family) if x)
    return f"{p.given} {p.family}"


def make_true(p: Person, rng: random.Random) -> Shown:
    """The person, as brokers really print them: every record keeps at least two
    corroborating facts (age, a city of theirs, their phone, their street) so a
    careful human could tell it is them."""
    rec = Shown(name=true_name(p, rng), truth="person")
    roll = rng.random()
    if roll < 0.6:
        rec.age = p.age + rng.choice([0, 0, 0, 1, -1])  # brokers lag a birthday
    elif roll < 0.75:
        rec.birth_year = p.birth.year
    evidence = 1 if roll < 0.75 else 0  # else: the age is missing
    where = rng.random()
    if where < 0.5:
        rec.places = [p.places[0]] + ([p.places[1]] if rng.random() < 0.5 else [])
    elif where < 0.8:  # stale: the old city shown as current, plus somewhere unrelated
        rec.places = [p.places[-1], rng.choice(_other_places(p))]
    else:  # current city with a typo
        cur = p.places[0]
        rec.places = [Place(_typo(cur.city, rng), cur.region, cur.district)]
    rec.spell_state = rng.random() < 0.2
    evidence += 1
    if rng.random() < 0.4:
        rec.phones.append(p.phone)
        evidence += 1
    if p.address and rng.random() < 0.3:
        a = p.address
        rec.address = Address(_abbreviate(a.street, rng), a.city, a.region, a.postcode)
        evidence += 1
    if evidence < 2:
        rec.phones.append(p.phone)
    if rng.random() < 0.3:
        rec.phones.append(_fake_phone(p, rng))
    pool = UK_GIVEN if p.country == "GB" else GIVEN
    rec.relatives = [f"{rng.choice(pool)} {p.family}" for _ in range(rng.randrange(0, 3))]
    return rec


def make_namesake(p: Person, rng: random.Random) -> Shown:
    """Same name, someone else: another city and age (some share one of the two)."""
    mid = rng.choice([m for m in "BCDEFHKLNPRSTW" if not p.middle.startswith(m)])
    plain = f"{p.given} {p.family}"
    name = rng.choice([plain, plain, f"{p.given} {mid} {p.family}", ascii_fold(plain)])
    rec = Shown(name=name, truth="other")
    roll = rng.random()
    others = _other_places(p)
    if roll < 0.55:
        rec.age = p.age + rng.choice([-1, 1]) * rng.randrange(6, 32)
        rec.places = rng.sample(others, rng.randrange(1, 3))
    elif roll < 0.7:  # same age, a city the person never lived in
        rec.age = p.age + rng.choice([-1, 0, 1])
        rec.places = [rng.choice(others)]
    elif roll < 0.85:  # same city, clearly another generation
        rec.age = p.age + rng.choice([-1, 1]) * rng.randrange(15, 35)
        rec.places = [p.places[0]]
    else:  # age missing, elsewhere
        rec.places = rng.sample(others, 2)
    rec.age = None if rec.age is not None and rec.age < 18 else rec.age
    if rng.random() < 0.5:
        rec.phones = [_fake_phone(p, rng)]
    if rng.random() < 0.35:
        pl = rec.places[0]
        rec.address = Address(_street(rng, p.country == "GB"), pl.city, pl.region, "")
    return rec


def make_relative(p: Person, rng: random.Random) -> Shown:
    pool = UK_GIVEN if p.country == "GB" else GIVEN
    rec = Shown(name=f"{rng.choice(pool)} {p.family}", truth="other")
    rec.age = max(19, p.age + rng.choice([-1, 1]) * rng.randrange(4, 30))
    rec.places = [rng.choice(p.places)]
    rec.relatives = [f"{p.given} {p.family}"] + (
        [f"{rng.choice(pool)} {p.family}"] if rng.random() < 0.5 else []
    )
    if rng.random() < 0.4:
        rec.phones = [_fake_phone(p, rng)]
    return rec


def make_linked(p: Person, rng: random.Random) -> Shown:
    """Someone else's record that shows the person's phone or street."""
    pool = UK_GIVEN if p.country == "GB" else GIVEN
    family = p.family if rng.random() < 0.5 else rng.choice(FAMILY)
    rec = Shown(name=f"{rng.choice(pool)} {family}", truth="linked")
    rec.age = max(21, p.age + rng.choice([-1, 1]) * rng.randrange(5, 30))
    rec.places = [p.places[0]]
    if p.address and rng.random() < 0.5:
        a = p.address
        rec.address = Address(_abbreviate(a.street, rng), a.city, a.region, a.postcode)
    else:
        rec.phones = [p.phone]
    return rec


def make_stranger(p: Person, rng: random.Random) -> Shown:
    gpool, fpool = (UK_GIVEN, UK_FAMILY) if p.country == "GB" else (GIVEN, FAMILY)
    rec = Shown(name=f"{rng.choice(gpool)} {rng.choice(fpool)}", truth="other")
    if rng.random() < 0.85:
        rec.age = rng.randrange(19, 92)
    rec.places = [rng.choice(_other_places(p) + [p.places[0]])]
    if rng.random() < 0.5:
        rec.phones = [_fake_phone(p, rng)]
    return rec


def make_records(p: Person, rng: random.Random, page_no: int) -> list[Shown]:
    recs = [make_true(p, rng) for _ in range(rng.choice([2, 3, 3]))]
    recs += [make_namesake(p, rng) for _ in range(rng.choice([3, 4]))]
    recs += [make_relative(p, rng) for _ in range(2)]
    if page_no % 3 != 1:
        recs.append(make_linked(p, rng))
    recs += [make_stranger(p, rng) for _ in range(rng.randrange(3, 5))]
    rng.shuffle(recs)
    for i, rec in enumerate(recs):
        base = re.sub(r"[^a-z0-9]+", "-", ascii_fold(rec.name).lower().replace("'", ""))
        rec.slug = f"{base.strip('-')}-b{page_no}{i:02d}"
    return recs


# --------------------------------------------------------------------------- rendering

E = html.escape


def us_phone(e164: str) -> str:
    d = e164[2:]
    return f"({d[:3]}) {d[3:6]}-{d[6:]}"


def uk_phone(e164: str) -> str:
    d = "0" + e164[3:]
    return f"{d[:4]} {d[4:7]} {d[7:]}" if d.startswith("01") else f"{d[:5]} {d[5:]}"


def place_text(pl: Place, spell: bool) -> str:
    region = STATE_LONG.get(pl.region, pl.region) if spell else pl.region
    return f"{pl.city}, {region}" if region else pl.city


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        f"<title>{E(title)}</title>{head}</head>\n<body>\n{body}\n</body></html>\n"
    )


def layout_rows(recs: list[Shown], q: str, p: Person, rng: random.Random) -> str:
    rows = []
    for rec in recs:
        badge = ""
        if rec.age is not None:
            badge = f' <span class="badge badge-age">Age: {rec.age}</span>'
        elif rec.birth_year is not None:
            badge = f' <span class="badge badge-age">Born {rec.birth_year}</span>'
        here = [place_text(x, rec.spell_state) for x in rec.places]
        left = [
            f'<h2 class="h4 name-line"><a class="detail-link" href="/find/person/{rec.slug}">'
            f"{E(rec.name)}</a>{badge}</h2>",
            f'<div class="row-line"><span class="lbl">Lives in</span> '
            f'<span class="val">{E(here[0])}</span></div>',
        ]
        if len(here) > 1:
            left.append(
                '<div class="row-line"><span class="lbl">Used to live in</span> '
                f'<span class="val">{E(", ".join(here[1:]))}</span></div>'
            )
        if rec.address:
            a = rec.address
            left.append(
                '<div class="row-line"><span class="lbl">Current address</span> '
                f'<span class="val">{E(f"{a.street}, {a.city}, {a.region} {a.postcode}".strip())}'
                "</span></div>"
            )
        if rec.relatives:
            links = ", ".join(
                f'<a href="/find/name/{E(r.lower().replace(" ", "-"))}">{E(r)}</a>'
                for r in rec.relatives
            )
            left.append(
                '<div class="row-line"><span class="lbl">Related to</span> '
                f'<span class="val">{links}</span></div>'
            )
        if rec.phones:
            left.append(
                '<div class="row-line"><span class="lbl">Phone numbers</span> '
                f'<span class="val">{E(", ".join(us_phone(x) for x in rec.phones))}</span></div>'
            )
        rows.append(
            '<div class="result-row"><div class="col-main">'
            + "".join(left)
            + '</div><div class="col-side"><a class="btn btn-success" '
            f'href="/find/person/{rec.slug}">View Details</a></div></div>'
        )
    states = sorted({x.region for r in recs for x in r.places if x.region})
    facets = "".join(
        f'<li><a href="?state={s}">{E(STATE_LONG.get(s, s))}</a></li>' for s in states[:6]
    )
    body = (
        '<nav class="top"><a href="/">FindThemFast</a> <a href="/optout">Remove my record</a> '
        '<a href="/faq">FAQ</a></nav>\n'
        f'<form class="search" action="/results"><input name="name" value="{E(q)}">'
        '<input name="citystatezip" placeholder="City, State or ZIP"><button>Search</button>'
        "</form>\n"
        '<div class="layout"><aside class="filters"><h3>Filter results</h3>'
        '<h4>Age</h4><ul><li><a href="?age=18-29">18 - 29</a></li><li><a href="?age=30-44">'
        '30 - 44</a></li><li><a href="?age=45-64">45 - 64</a></li><li><a href="?age=65">65+</a>'
        f"</li></ul><h4>State</h4><ul>{facets}</ul></aside>\n"
        f'<main><p class="count">We found {len(recs)} records for <b>{E(q)}</b></p>\n'
        + "\n".join(rows)
        + '\n<div class="pager"><a href="?page=1">1</a> <a href="?page=2">2</a> '
        '<a href="?page=2">Next »</a></div></main></div>\n'
        '<footer class="foot">FindThemFast is not a consumer reporting agency. '
        "© 2026 FindThemFast LLC, 1200 Lakeview Parkway, Suite 300, Dover, DE 19901 · "
        "Support (302) 555-0198</footer>"
    )
    return _page(f"{q} - Phone, Address & Relatives | FindThemFast", body)


def last_first(name: str) -> str:
    """ "Jane Q Doe" -> "DOE, Jane Q"."""
    words = name.split()
    return f"{words[-1].upper()}, {' '.join(words[:-1])}"


def layout_tworow(recs: list[Shown], q: str, p: Person, rng: random.Random) -> str:
    rows = []
    for n, rec in enumerate(recs):
        rec.name = last_first(rec.name)
        if rec.age is not None:
            age = f"Age {rec.age}"
        elif rec.birth_year is not None:
            age = f"DOB: {rec.birth_year}"
        else:
            age = "Age unknown"
        shade = "odd" if n % 2 else "even"
        rows.append(
            f'<tr class="nm {shade}"><td colspan="2"><a href="/rpt/{rec.slug}"><b>'
            f'{E(rec.name)}</b></a></td><td class="age">{E(age)}</td></tr>'
        )
        lines = [E(place_text(x, rec.spell_state)) for x in rec.places]
        if rec.address:
            a = rec.address
            lines.insert(0, f"{E(a.street)}<br>{E(f'{a.city}, {a.region} {a.postcode}'.strip())}")
        phones = "<br>".join(E(us_phone(x)) for x in rec.phones) or "<i>none listed</i>"
        rels = ", ".join(E(r) for r in rec.relatives) or "<i>none listed</i>"
        rows.append(
            f'<tr class="dt {shade}"><td><small>Locations</small><br>{"<br>".join(lines)}</td>'
            f"<td><small>Phones</small><br>{phones}</td>"
            f"<td><small>Possible relatives</small><br>{rels}</td></tr>"
        )
        if n == 4:
            rows.append(
                f'<tr class="sponsor"><td colspan="3">Sponsored — Check {E(q)}\'s criminal '
                'records, marriage and divorce files. <a href="https://ads.example.test/bg">'
                "Start search</a></td></tr>"
            )
    rows.append(
        '<tr class="pager"><td colspan="3">Page 1 of 2 · <a href="?p=2">Next page</a></td></tr>'
    )
    body = (
        '<div class="masthead"><a href="/">PublicRecordLedger</a> | <a href="/help">Help</a> | '
        '<a href="/remove">Opt out</a></div>\n'
        f"<h1>Search results: {E(q)}</h1>\n<p>Results are sorted by relevance.</p>\n"
        '<table class="res" cellspacing="0"><thead><tr><th colspan="2">Name</th><th>Age</th>'
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"
        '<div class="legal">PublicRecordLedger Corp · 77 Water Street, Floor 2, Boston, MA '
        "02109 · (617) 555-0190 · Information provided as is.</div>"
    )
    return _page(f"{q} | PublicRecordLedger", body)


def layout_microdata(recs: list[Shown], q: str, p: Person, rng: random.Random) -> str:
    items = []
    for n, rec in enumerate(recs):
        parts = [
            f'<h3><a itemprop="url" href="https://lookupledger.example.test/p/{rec.slug}">'
            f'<span itemprop="name">{E(rec.name)}</span></a></h3>'
        ]
        if rec.age is not None:
            parts.append(f'<p class="age">Age {rec.age}</p>')
        elif rec.birth_year is not None:
            parts.append(
                f'<p class="age">Born in <time itemprop="birthDate">{rec.birth_year}</time></p>'
            )
        cur = rec.places[0]
        street = rec.address.street if rec.address else ""
        region = STATE_LONG.get(cur.region, cur.region) if rec.spell_state else cur.region
        addr = (f'<span itemprop="streetAddress">{E(street)}</span>, ' if street else "") + (
            f'<span itemprop="addressLocality">{E(cur.city)}</span>, '
            f'<span itemprop="addressRegion">{E(region)}</span>'
        )
        if rec.address and rec.address.postcode:
            addr += f' <span itemprop="postalCode">{E(rec.address.postcode)}</span>'
        parts.append(
            '<div class="addr" itemprop="address" itemscope '
            f'itemtype="https://schema.org/PostalAddress">{addr}</div>'
        )
        if len(rec.places) > 1:
            prev = "; ".join(place_text(x, rec.spell_state) for x in rec.places[1:])
            parts.append(f'<p class="prev">Previous: {E(prev)}</p>')
        for ph in rec.phones:
            d = ph[2:]
            parts.append(f'<p class="tel" itemprop="telephone">{d[:3]}-{d[3:6]}-{d[6:]}</p>')
        if rec.relatives:
            rels = ", ".join(
                '<span itemprop="relatedTo" itemscope itemtype="https://schema.org/Person">'
                f'<span itemprop="name">{E(r)}</span></span>'
                for r in rec.relatives
            )
            parts.append(f'<p class="rel">May be related to {rels}</p>')
        items.append(
            '<li class="person-card" itemscope itemtype="https://schema.org/Person">'
            + "".join(parts)
            + "</li>"
        )
        if n in (2, 7):
            items.append(
                f'<li class="ad-card"><span class="tag">Ad</span> <b>{E(q)}</b> — we found new '
                "records! Current phone, address and age. <em>Ages 25-65</em> · "
                '<a href="https://ads.example.test/go?n=1">See results</a></li>'
            )
    also = [f"{g} {p.family}" for g in rng.sample(GIVEN, 3)] + [
        f"{p.given} {rng.choice(FAMILY)}",
        f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
    ]
    side = "".join(
        f'<li><a href="/search?name={E(x.replace(" ", "+"))}">{E(x)}</a></li>' for x in also
    )
    body = (
        '<header><a class="logo" href="/">LookupLedger</a><nav><a href="/people">People</a> '
        '<a href="/phones">Reverse phone</a> <a href="/privacy">Do not sell my info</a></nav>'
        "</header>\n"
        f'<div class="wrap"><section class="main"><h1>{E(q)}</h1>'
        f"<p>{len(recs)} people found. Showing the best matches first.</p>\n"
        '<ol class="people">\n' + "\n".join(items) + "\n</ol></section>\n"
        f'<aside class="also"><h2>People also searched for</h2><ul>{side}</ul></aside></div>\n'
        "<footer><p>LookupLedger · PO Box 4410, Portland, OR 97208 · help@lookupledger.example.test"
        "</p></footer>"
    )
    return _page(f"{q} — LookupLedger people search", body)


def layout_uk(recs: list[Shown], q: str, p: Person, rng: random.Random) -> str:
    items = []
    for rec in recs:
        cur = rec.places[0]
        head = f'<a href="/people/{rec.slug}/">{E(rec.name)}</a>, {E(cur.city)}'
        if cur.district:
            head += f", {E(cur.district)}"
        bits = []
        if rec.age is not None:
            lo = rec.age // 5 * 5
            head += f" — Age guide {lo}-{lo + 4}"
        elif rec.birth_year is not None:
            bits.append(f"<li>Born {rec.birth_year}</li>")
        if rec.address:
            a = rec.address
            bits.append(f"<li>Address: {E(f'{a.street}, {a.city} {a.postcode}'.strip())}</li>")
        if len(rec.places) > 1:
            prev = ", ".join(x.city for x in rec.places[1:])
            bits.append(f"<li>Previously in {E(prev)}</li>")
        for ph in rec.phones:
            bits.append(f"<li>Tel: {E(uk_phone(ph))}</li>")
        if rec.relatives:
            bits.append(f"<li>Other occupants: {E(', '.join(rec.relatives))}</li>")
        start = rng.randrange(2002, 2020)
        bits.append(f"<li>Electoral roll {start}–{rng.randrange(start + 1, 2026)}</li>")
        items.append(
            f'<div class="listing"><h3>{head}</h3><ul class="facts">{"".join(bits)}</ul>'
            f'<a class="more" href="/people/{rec.slug}/">View full details</a></div>'
        )
    towns = sorted({r.places[0].city for r in recs})
    refine = "".join(
        f'<li><a href="?town={E(t)}">{E(t)}</a> ({sum(r.places[0].city == t for r in recs)})</li>'
        for t in towns
    )
    body = (
        '<div id="cookie">We use cookies to improve this site. <button>Accept all</button></div>\n'
        '<div class="brand"><a href="/">OneNineTwo Finder</a> — find people, businesses '
        "and places in the UK</div>\n"
        f"<h1>People named {E(q)} in the UK</h1>\n"
        f'<div class="cols"><aside><h4>Refine by town</h4><ul>{refine}</ul></aside>\n'
        '<div class="results">\n' + "\n".join(items) + "\n</div></div>\n"
        "<footer>OneNineTwo Finder Ltd, registered in England and Wales no. 00000000. "
        "1 Example Yard, London EC1A 1AA. Tel 020 7946 0000.</footer>"
    )
    return _page(f"{q} in the UK | OneNineTwo Finder", body)


LAYOUTS = {
    "rows": (layout_rows, "https://findthemfast.example.test/results?name=x", 4),
    "tworow": (layout_tworow, "https://publicrecordledger.example.test/search/list", 4),
    "microdata": (layout_microdata, "https://lookupledger.example.test/name/x", 4),
    "uk": (layout_uk, "https://onenine2.example.test/people/search/", 3),
}


def main(out: Path = OUT) -> None:
    """Write the pages, labels.json and profiles.json into ``out`` (tests use a tmp dir)."""
    rng = random.Random(SEED)
    people = load_people()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    labels: dict[str, dict] = {}
    page_no = 0
    for layout, (render, base_url, pages) in LAYOUTS.items():
        for i in range(pages):
            pid = PAGE_PROFILES[layout][i]
            person = people[pid]
            page_no += 1
            recs = make_records(person, rng, page_no)
            query = ascii_fold(" ".join(x for x in (person.given, person.family) if x))
            page = render(recs, query, person, rng)  # may rewrite rec.name as shown
            fname = f"{layout}-{i + 1}.html"
            (out / fname).write_text(page, encoding="utf-8")
            labels[fname] = {
                "layout": layout,
                "group": "blind",
                "profile": pid,
                "base_url": base_url,
                "records": [
                    {"name": r.name, "truth": r.truth, "profile": pid, "slug": r.slug} for r in recs
                ],
            }
    (out / "profiles.json").write_bytes(SOURCE_PROFILES.read_bytes())
    meta = {"today": TODAY.isoformat(), "seed": SEED, "pages": labels}
    (out / "labels.json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    total = sum(len(v["records"]) for v in labels.values())
    print(f"wrote {len(labels)} pages, {total} labelled records to {out}")


if __name__ == "__main__":
    main()
