"""Generate the labelled people-search fixture pages under tests/fixtures/brokers/.

Deterministic (seeded): ``python bench/make_fixtures.py`` rewrites the same
files byte for byte. Ten fictional profiles; each page is a search for one of
them and shows true records (with the corruption real brokers print: typos,
nicknames, middle initials, SURNAME-first capitals, dropped diacritics, old
addresses, missing fields) among namesakes (same name, other city and age),
same-surname relatives, strangers, and records of *other* people that show the
profile's own phone, email or street address ("linked").

Layouts: five development layouts the extractor was tuned on, and two
held-out layouts (``grid``, ``article``) that were written first and not
looked at while tuning; bench/match_quality.py reports them separately.

Labels (``labels.json``): page → {layout, group, profile, base_url, records:
[{name, truth: person|linked|other, profile}]}. Everything here is fictional:
555-01xx numbers, Ofcom drama numbers, example.test domains.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import phonenumbers

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "brokers"
TODAY = date(2026, 6, 1)
SEED = 20261122

PROFILES: list[dict] = [
    {
        "id": "jane",
        "names": ["Jane Quinn Doe", "Jane Smith"],
        "birth_date": "1983-05-14",
        "locations": ["Austin, TX", "Dallas, TX"],
        "addresses": ["4812 Maple Avenue, Austin, TX 78745"],
        "phones": ["+15125550147"],
        "emails": ["jane.q.doe@gmail.com"],
        "nick": "Janie",
    },
    {
        "id": "william",
        "names": ["William Robert Hartley"],
        "birth_date": "1971-09-02",
        "locations": ["Portland, OR", "Boise, ID"],
        "addresses": ["77 Birch Street, Portland, OR 97205"],
        "phones": ["+15035550112"],
        "emails": ["bhartley@fastmail.com"],
        "nick": "Bill",
    },
    {
        "id": "jose",
        "names": ["José Luis García"],
        "birth_date": "1990-01-20",
        "locations": ["Miami, FL", "Orlando, FL"],
        "addresses": ["2300 Coral Way Apartment 5, Miami, FL 33145"],
        "phones": ["+13055550176"],
        "emails": ["jlgarcia@outlook.com"],
        "nick": "",
    },
    {
        "id": "siobhan",
        "names": ["Siobhán O'Neill"],
        "birth_date": "1986-11-30",
        "locations": ["Leeds, West Yorkshire, UK", "York, North Yorkshire, UK"],
        "addresses": ["14 Park Lane, Leeds LS1 4AP"],
        "phones": ["+441134960321"],
        "emails": ["siobhan.oneill@proton.me"],
        "nick": "",
    },
    {
        "id": "margaret",
        "names": ["Margaret Anne Kowalski"],
        "birth_date": "1958-03-08",
        "locations": ["Seattle, WA", "Spokane, WA"],
        "addresses": ["901 Pine Road, Seattle, WA 98101"],
        "phones": ["+12065550133"],
        "emails": ["peggy.kowalski@yahoo.com"],
        "nick": "Peggy",
    },
    {
        "id": "robert",
        "names": ["Robert James Chen"],
        "birth_date": "1979-07-19",
        "locations": ["Toronto, ON, Canada", "Vancouver, BC"],
        "addresses": ["55 King Street Apt 1201, Toronto, ON M5H 1J9"],
        "phones": ["+14165550188"],
        "emails": ["rob.chen@gmail.com"],
        "nick": "Bob",
    },
    {
        "id": "anna",
        "names": ["Anna-Lena Müller"],
        "birth_date": "1994-04-04",
        "locations": ["Berlin, Germany", "Hamburg, Germany"],
        "addresses": [],
        "phones": ["+49301234567"],
        "emails": ["anna.mueller@gmail.com"],
        "nick": "",
    },
    {
        "id": "michael",
        "names": ["Michael Thomas O'Brien"],
        "birth_date": "1965-12-01",
        "locations": ["Boston, MA", "Worcester, MA"],
        "addresses": ["18 Elm Court, Boston, MA 02116"],
        "phones": ["+16175550119"],
        "emails": ["mike.obrien@icloud.com"],
        "nick": "Mike",
    },
    {
        "id": "priya",
        "names": ["Priya Sharma"],
        "birth_date": "2000-08-25",
        "locations": ["Chicago, IL", "Naperville, IL"],
        "addresses": ["3350 Lake Shore Drive Apt 9B, Chicago, IL 60657"],
        "phones": ["+13125550164"],
        "emails": [],
        "nick": "",
    },
    {
        "id": "david",
        "names": ["David Lee Johnson"],
        "birth_date": "1988-02-11",
        "locations": ["Denver, CO", "Boulder, CO"],
        "addresses": ["620 Aspen Lane, Denver, CO 80203"],
        "phones": ["+13035550155"],
        "emails": ["dljohnson@googlemail.com"],
        "nick": "Dave",
    },
]

OTHER_US_PLACES = [
    "Phoenix, AZ", "Tucson, AZ", "Reno, NV", "Omaha, NE", "Tulsa, OK", "Raleigh, NC",
    "Savannah, GA", "Madison, WI", "Buffalo, NY", "Fresno, CA", "El Paso, TX", "Houston, TX",
    "Eugene, OR", "Tacoma, WA", "Tampa, FL", "Aurora, CO", "Springfield, IL", "Lowell, MA",
    "Columbus, OH", "Richmond, VA", "Louisville, KY", "Wichita, KS", "Mobile, AL",
]  # fmt: skip
OTHER_UK_PLACES = [
    "Bristol, Avon",
    "Manchester, Greater Manchester",
    "Bradford, West Yorkshire",
    "Glasgow, Lanarkshire",
    "Cardiff, South Glamorgan",
    "Norwich, Norfolk",
]
OTHER_CA_PLACES = ["Calgary, AB", "Ottawa, ON", "Halifax, NS", "Winnipeg, MB"]
OTHER_DE_PLACES = ["Munich, Germany", "Cologne, Germany", "Leipzig, Germany", "Dresden, Germany"]
STATE_NAMES = {
    "TX": "Texas", "OR": "Oregon", "FL": "Florida", "WA": "Washington", "MA": "Massachusetts",
    "IL": "Illinois", "CO": "Colorado", "ON": "Ontario", "BC": "British Columbia", "ID": "Idaho",
}  # fmt: skip
GIVEN = [
    "Aaron", "Beatrice", "Carlos", "Dolores", "Ethan", "Fiona", "Gregory", "Helena", "Isaac",
    "Judith", "Kevin", "Lorraine", "Marcus", "Nadia", "Oscar", "Paula", "Quentin", "Rosa",
    "Samuel", "Tamara", "Victor", "Wendy", "Xavier", "Yolanda", "Zachary", "Harold", "Irene",
    "Gordon", "Colleen", "Trevor", "Bianca", "Desmond",
]  # fmt: skip
FAMILY = [
    "Abernathy", "Bustamante", "Castellanos", "Delacroix", "Eriksen", "Fairbanks", "Gallagher",
    "Holloway", "Ishikawa", "Jablonski", "Kettering", "Lindqvist", "Montgomery", "Nakamura",
    "Okonkwo", "Pemberton", "Quintero", "Rasmussen", "Sorensen", "Thibodeaux", "Underwood",
    "Vasquez", "Whitfield", "Yamamoto", "Zielinski", "Brennan", "Castillo",
]  # fmt: skip
STREETS = ["Oak", "Cedar", "Willow", "Chestnut", "Hickory", "Sycamore", "Magnolia", "Juniper"]
SUFFIX = ["Street", "Avenue", "Road", "Drive", "Lane", "Court", "Way", "Place"]


@dataclass
class Shown:
    """A record as a page prints it, plus its label."""

    name: str
    truth: str  # person | linked | other
    age: int | None = None
    birth_year: int | None = None
    places: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    relatives: list[str] = field(default_factory=list)
    slug: str = ""


def _split(name: str) -> tuple[str, str, str]:
    parts = name.split()
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def _strip_accents(text: str) -> str:
    import unicodedata

    text = text.replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(word: str, rng: random.Random) -> str:
    """One edit inside a long word (transposition, deletion or doubling)."""
    if len(word) < 6:
        return word
    i = rng.randrange(2, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _age(profile: dict) -> int:
    born = date.fromisoformat(profile["birth_date"])
    return TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))


def _display_phone(e164: str, rng: random.Random) -> str:
    num = phonenumbers.parse(e164)
    fmt = rng.choice([phonenumbers.PhoneNumberFormat.NATIONAL] * 3
                     + [phonenumbers.PhoneNumberFormat.INTERNATIONAL])  # fmt: skip
    return phonenumbers.format_number(num, fmt)


def _fake_phone(country: str, rng: random.Random) -> str:
    if country == "GB":
        return f"+44113496{rng.randrange(1000):04d}"
    if country == "DE":
        return f"+4930{rng.randrange(1000000, 9999999)}"
    area = rng.choice(["512", "503", "305", "206", "416", "617", "312", "303", "602", "919"])
    return f"+1{area}5550{rng.randrange(100, 200):03d}"[:12]


def _place_display(place: str, rng: random.Random) -> str:
    """How a page prints one of the profile's places (maybe abbreviated differently)."""
    parts = [p.strip() for p in place.split(",")]
    if parts[-1] in ("UK", "Canada", "Germany") and len(parts) == 3:
        parts = parts[:-1]
    if len(parts) == 2 and parts[1] in STATE_NAMES and rng.random() < 0.2:
        parts[1] = STATE_NAMES[parts[1]]
    return ", ".join(parts)


def _other_places(profile: dict) -> list[str]:
    loc = profile["locations"][0]
    if "UK" in loc:
        return OTHER_UK_PLACES
    if "Canada" in loc:
        return OTHER_CA_PLACES
    if "Germany" in loc:
        return OTHER_DE_PLACES
    return OTHER_US_PLACES


def _country(profile: dict) -> str:
    loc = profile["locations"][0]
    return "GB" if "UK" in loc else "DE" if "Germany" in loc else "US"


def _street(rng: random.Random) -> str:
    return f"{rng.randrange(10, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIX)}"


def _address_display(address: str, rng: random.Random) -> str:
    out = address
    for long, short in (("Avenue", "Ave"), ("Street", "St"), ("Road", "Rd"), ("Apartment", "Apt"),
                        ("Drive", "Dr"), ("Lane", "Ln"), ("Court", "Ct")):  # fmt: skip
        if rng.random() < 0.5:
            out = out.replace(long, short)
    return out


def true_name(profile: dict, rng: random.Random) -> str:
    full = profile["names"][0]
    given, middle, family = _split(full)
    choice = rng.choice(
        ["full", "no_middle", "initial", "caps", "nick", "typo", "ascii", "alias", "initial"]
    )
    if choice == "nick" and profile["nick"]:
        return f"{profile['nick']} {family}"
    if choice == "alias" and len(profile["names"]) > 1:
        return profile["names"][1]
    if choice == "no_middle" or (choice == "nick" and not middle):
        return f"{given} {family}"
    if choice == "initial" and middle:
        return f"{given} {middle[0]}. {family}"
    if choice == "caps":
        mid = f" {middle[0]}" if middle else ""
        return f"{family.upper()}, {given.upper()}{mid}"
    if choice == "typo":
        if len(family) >= 6:
            return f"{given} {_typo(family, rng)}"
        return f"{_typo(given, rng)} {family}" if len(given) >= 6 else f"{given} {family}"
    if choice == "ascii":
        return _strip_accents(f"{given} {family}")
    return full


def make_true(profile: dict, rng: random.Random) -> Shown:
    rec = Shown(name=true_name(profile, rng), truth="person")
    age = _age(profile)
    style = rng.random()
    if style < 0.75:
        rec.age = age + rng.choice([0, 0, 0, -1, 1])
    elif style < 0.88:
        rec.birth_year = date.fromisoformat(profile["birth_date"]).year
    locs = [_place_display(p, rng) for p in profile["locations"]]
    kind = rng.random()
    if kind < 0.55:
        rec.places = [locs[0], *(locs[1:] if rng.random() < 0.6 else [])]
    elif kind < 0.8:
        # Broker lags behind: shows the old city as current, plus another.
        rec.places = [locs[-1], rng.choice(_other_places(profile))]
    else:
        place = locs[0]
        if rng.random() < 0.5:
            city, _, rest = place.partition(",")
            place = f"{_typo(city, rng) if len(city) >= 6 else city},{rest}"
        rec.places = [place]
    if rec.age is None and rec.birth_year is None and profile["phones"]:
        rec.phones = [_display_phone(profile["phones"][0], rng)]
    if rng.random() < 0.4 and profile["phones"]:
        rec.phones = [_display_phone(profile["phones"][0], rng)]
    if rng.random() < 0.3 and profile["addresses"]:
        rec.addresses = [_address_display(profile["addresses"][0], rng)]
    if rng.random() < 0.15 and profile["emails"]:
        rec.emails = [profile["emails"][0]]
    if rng.random() < 0.3:
        rec.phones.append(_display_phone(_fake_phone(_country(profile), rng), rng))
    fam = _split(profile["names"][0])[2]
    rec.relatives = [f"{rng.choice(GIVEN)} {fam}" for _ in range(rng.randrange(0, 3))]
    return rec


def make_namesake(profile: dict, rng: random.Random) -> Shown:
    given, middle, family = _split(profile["names"][0])
    other_mid = rng.choice([m for m in "BCEFGHKMNPRSTW" if not middle.startswith(m)])
    name = rng.choice(
        [f"{given} {family}", f"{given} {family}", f"{given} {other_mid}. {family}",
         f"{family.upper()}, {given.upper()}", _strip_accents(f"{given} {family}")]
    )  # fmt: skip
    rec = Shown(name=name, truth="other")
    age = _age(profile)
    roll = rng.random()
    if roll < 0.6:
        rec.age = age + rng.choice([-1, 1]) * rng.randrange(5, 30)
    elif roll < 0.75:
        rec.age = age + rng.choice([-1, 0, 1])  # same age, another city
    elif roll < 0.85:
        rec.birth_year = date.fromisoformat(profile["birth_date"]).year + rng.choice([-12, 9, 20])
    others = _other_places(profile)
    rec.places = rng.sample(others, rng.randrange(1, 3))
    if roll >= 0.85 and rng.random() < 0.5:
        # Same city as the person, clearly another age.
        rec.places = [_place_display(profile["locations"][0], rng)]
        rec.age = age + rng.choice([-1, 1]) * rng.randrange(8, 30)
    if rng.random() < 0.5:
        rec.phones = [_display_phone(_fake_phone(_country(profile), rng), rng)]
    if rng.random() < 0.3:
        rec.addresses = [f"{_street(rng)}, {rec.places[0]}"]
    return rec


def make_relative(profile: dict, rng: random.Random) -> Shown:
    family = _split(profile["names"][0])[2]
    given = _split(profile["names"][0])[0]
    rec = Shown(name=f"{rng.choice(GIVEN)} {family}", truth="other")
    rec.age = _age(profile) + rng.choice([-1, 1]) * rng.randrange(3, 35)
    rec.places = [_place_display(rng.choice(profile["locations"]), rng)]
    rec.relatives = [f"{given} {family}"]
    if rng.random() < 0.4:
        rec.phones = [_display_phone(_fake_phone(_country(profile), rng), rng)]
    return rec


def make_linked(profile: dict, rng: random.Random) -> Shown:
    family = _split(profile["names"][0])[2]
    if rng.random() < 0.5:
        name = f"{rng.choice(GIVEN)} {family}"
    else:
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    rec = Shown(name=name, truth="linked")
    rec.age = _age(profile) + rng.choice([-1, 1]) * rng.randrange(4, 30)
    rec.places = [_place_display(profile["locations"][0], rng)]
    options = ["phone"] * 2 + (["address"] if profile["addresses"] else [])
    options += ["email"] if profile["emails"] else []
    what = rng.choice(options)
    if what == "phone":
        rec.phones = [_display_phone(profile["phones"][0], rng)]
    elif what == "address":
        rec.addresses = [_address_display(profile["addresses"][0], rng)]
    else:
        rec.emails = [profile["emails"][0]]
    return rec


def make_stranger(profile: dict, rng: random.Random) -> Shown:
    rec = Shown(name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", truth="other")
    if rng.random() < 0.8:
        rec.age = rng.randrange(19, 90)
    rec.places = rng.sample(_other_places(profile) + [profile["locations"][0]], 1)
    rec.places = [_place_display(p, rng) for p in rec.places]
    if rng.random() < 0.5:
        rec.phones = [_display_phone(_fake_phone(_country(profile), rng), rng)]
    return rec


def make_records(profile: dict, rng: random.Random, page_no: int) -> list[Shown]:
    recs = [make_true(profile, rng) for _ in range(rng.choice([2, 2, 3]))]
    recs += [make_namesake(profile, rng) for _ in range(rng.choice([3, 4]))]
    recs += [make_relative(profile, rng) for _ in range(2)]
    if page_no % 2 == 0 or rng.random() < 0.3:
        recs.append(make_linked(profile, rng))
    recs += [make_stranger(profile, rng) for _ in range(rng.randrange(3, 6))]
    rng.shuffle(recs)
    for i, rec in enumerate(recs):
        rec.slug = f"{_strip_accents(rec.name).lower().replace(',', '').replace('.', '')}"
        rec.slug = "-".join(rec.slug.split()).replace("'", "") + f"-{page_no}{i:02d}"
    return recs


# --------------------------------------------------------------------------- rendering

E = html.escape


def _age_text(rec: Shown, rng: random.Random) -> str:
    if rec.age is not None:
        return rng.choice([f"Age {rec.age}", f"{rec.age} years old", f"Age: {rec.age}"])
    if rec.birth_year is not None:
        return rng.choice([f"born {rec.birth_year}", f"b. {rec.birth_year}"])
    return ""


def _page(title: str, body: str, head_extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{E(title)}</title>{head_extra}</head>\n<body>\n{body}\n</body></html>\n"
    )


# Held-out layouts: written before the extractor was tuned; never tuned against.


def layout_grid(recs: list[Shown], q: str, rng: random.Random) -> str:
    tiles = []
    for rec in recs:
        spans = [f'<span class="who"><a href="/people/{rec.slug}">{E(rec.name)}</a></span>']
        if rec.age is not None:
            spans.append(f'<span class="yrs">{rec.age} yrs old</span>')
        elif rec.birth_year is not None:
            spans.append(f'<span class="yrs">Born {rec.birth_year}</span>')
        spans.append(f'<span class="where">{E(" / ".join(rec.places))}</span>')
        for a in rec.addresses:
            spans.append(f'<span class="street">{E(a)}</span>')
        for p in rec.phones:
            spans.append(f'<span class="tel">{E(p)}</span>')
        for m in rec.emails:
            spans.append(f'<span class="mail">{E(m)}</span>')
        if rec.relatives:
            spans.append(f'<span class="fam">Family: {E(", ".join(rec.relatives))}</span>')
        tiles.append(f'<div class="tile">{"".join(spans)}</div>')
    rows = []
    for i in range(0, len(tiles), 3):
        rows.append(f'<div class="tile-row">{"".join(tiles[i : i + 3])}</div>')
    body = (
        '<div class="top"><a href="/">FindFolks</a> <a href="/login">Sign in</a></div>\n'
        f"<h1>{len(recs)} people named {E(q)}</h1>\n"
        f'<div class="grid">\n' + "\n".join(rows) + "\n</div>\n"
        '<div class="bottom">FindFolks Inc, 9 Commerce Plaza, Reno, NV 89501 - (775) 555-0100'
        "</div>"
    )
    return _page(f"{q} - FindFolks", body)


def layout_article(recs: list[Shown], q: str, rng: random.Random) -> str:
    arts = []
    for rec in recs:
        age = _age_text(rec, rng)
        parts = [
            f'<header><h3><a href="https://records.example.test/p/{rec.slug}">{E(rec.name)}</a>'
            f"</h3>{f'<p>{E(age)}</p>' if age else ''}</header>"
        ]
        if rec.addresses:
            parts.append(f"<address>{E(rec.addresses[0]).replace(', ', '<br>', 1)}</address>")
        parts.append(f"<p>Locations: {E('; '.join(rec.places))}</p>")
        if rec.phones:
            parts.append("<ul>" + "".join(f"<li>{E(p)}</li>" for p in rec.phones) + "</ul>")
        if rec.emails:
            parts.append(f"<p>{E(rec.emails[0])}</p>")
        if rec.relatives:
            parts.append(f"<p>Associated persons: {E(', '.join(rec.relatives))}</p>")
        parts.append(f'<a href="/p/{rec.slug}#full">Full profile</a>')
        arts.append(f'<article class="match">{"".join(parts)}</article>')
    body = (
        '<main><h1>Search results</h1>\n<section id="matches">\n'
        + "\n".join(arts)
        + "\n</section></main>\n"
        "<p>RecordsExample, 400 Market Street, Suite 10, Denver, CO 80202 (303) 555-0100</p>"
    )
    return _page(f"{q} | RecordsExample", body)


# Development layouts.


def _site_header() -> str:
    return (
        '<header class="site"><nav><a href="/">Home</a> <a href="/about">About Us</a> '
        '<a href="/optout">Opt Out</a></nav>'
        '<form action="/search"><input name="first" placeholder="First Name">'
        '<input name="last" placeholder="Last Name"><button>Search</button></form></header>'
    )


def layout_cards(recs: list[Shown], q: str, rng: random.Random) -> str:
    cards = []
    for rec in recs:
        age = _age_text(rec, rng)
        parts = [f'<h2><a href="/person/{rec.slug}">{E(rec.name)}</a></h2>']
        if age:
            parts.append(f'<p class="age">{E(age)}</p>')
        parts.append(f"<p>Lives in <strong>{E(rec.places[0])}</strong></p>")
        if len(rec.places) > 1:
            parts.append(f"<p>Previously: {E(' · '.join(rec.places[1:]))}</p>")
        if rec.addresses:
            parts.append(f'<p class="addr">{E(rec.addresses[0])}</p>')
        if rec.phones:
            lis = "".join(f"<li>{E(p)}</li>" for p in rec.phones)
            parts.append(f'<ul class="phones">{lis}</ul>')
        if rec.emails:
            parts.append(f"<p>Email: {E(rec.emails[0])}</p>")
        if rec.relatives:
            links = ", ".join(
                f'<a href="/person/x-{i}">{E(r)}</a>' for i, r in enumerate(rec.relatives)
            )
            parts.append(f"<p>Relatives: {links}</p>")
        parts.append(
            f'<a class="btn" href="/person/{rec.slug}">View details</a> '
            '<a href="javascript:void(0)" class="save">Save</a>'
        )
        cards.append(f'<div class="result-card">{"".join(parts)}</div>')
    body = (
        _site_header()
        + f'\n<h1>Results for {E(q)}</h1>\n<div class="results">\n'
        + "\n".join(cards)
        + "\n</div>\n<footer>© PeopleLookupz · 1 Main Street, Springfield, IL 62701 · "
        "(217) 555-0100</footer>"
    )
    return _page(f"{q} - PeopleLookupz", body)


def layout_table(recs: list[Shown], q: str, rng: random.Random) -> str:
    rows = []
    for rec in recs:
        given, _, family = rec.name.partition(" ")
        if "," in rec.name:
            shown = rec.name
        else:
            parts = rec.name.split()
            shown = f"{parts[-1].upper()}, {' '.join(parts[:-1]).upper()}"
        age = (
            str(rec.age)
            if rec.age is not None
            else (f"b. {rec.birth_year}" if rec.birth_year else "—")
        )
        places = "<br>".join(E(p) for p in rec.places + rec.addresses)
        phones = "<br>".join(E(p) for p in rec.phones) or "—"
        rels = E(", ".join(rec.relatives)) or "—"
        mails = E(", ".join(rec.emails))
        rows.append(
            f'<tr><td><a href="report.php?id={rec.slug}">{E(shown)}</a></td><td>{E(age)}</td>'
            f"<td>{places}</td><td>{phones}</td><td>{mails}</td><td>{rels}</td>"
            f'<td><a href="report.php?id={rec.slug}">Open report</a></td></tr>'
        )
        rec.name = shown
    body = (
        _site_header() + f'\n<h1>Public records: {E(q)}</h1>\n<table class="results"><thead><tr>'
        "<th>Name</th><th>Age</th><th>Locations</th><th>Phone</th><th>Email</th>"
        "<th>Relatives</th><th></th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n<footer>RecordTablez LLC, 22 Commerce Drive, Dover, DE 19901"
        " · +1 302-555-0100</footer>"
    )
    return _page(f"{q} - RecordTablez", body)


def layout_list(recs: list[Shown], q: str, rng: random.Random) -> str:
    items = []
    for rec in recs:
        bits = [f'<a href="https://listfinder.example.test/name/{rec.slug}">{E(rec.name)}</a>']
        if rec.age is not None:
            bits[0] += rng.choice([f" ({rec.age})", f", age {rec.age}"])
        elif rec.birth_year:
            bits[0] += f", born {rec.birth_year}"
        bits.append("lives in " + E("; ".join(rec.places)))
        bits += [E(a) for a in rec.addresses]
        bits += [E(p) for p in rec.phones]
        bits += [E(m) for m in rec.emails]
        if rec.relatives:
            bits.append("Related to: " + E(", ".join(rec.relatives)))
        items.append("<li>" + " — ".join(bits) + "</li>")
    body = (
        f'<h1>{E(q)}</h1>\n<p>We found these people:</p>\n<ul class="people">\n'
        + "\n".join(items)
        + '\n</ul>\n<p><a href="mailto:help@listfinder.example.test">Contact</a> · '
        '<a href="data:text/html,hi">x</a></p>'
    )
    return _page(f"{q} | ListFinder", body)


def layout_dl(recs: list[Shown], q: str, rng: random.Random) -> str:
    items = []
    for rec in recs:
        items.append(f'<dt><a href="/d/{rec.slug}">{E(rec.name)}</a></dt>')
        age = _age_text(rec, rng)
        if age:
            items.append(f"<dd>{E(age)}</dd>")
        if rec.addresses:
            items.append(f"<dd>Current address: {E(rec.addresses[0])}</dd>")
        items.append(f"<dd>Current city: {E(rec.places[0])}</dd>")
        if len(rec.places) > 1:
            items.append(f"<dd>Past locations: {E('; '.join(rec.places[1:]))}</dd>")
        for p in rec.phones:
            items.append(f"<dd>Phone: {E(p)}</dd>")
        for m in rec.emails:
            items.append(f"<dd>Email: {E(m)}</dd>")
        if rec.relatives:
            items.append(f"<dd>Associated persons: {E(', '.join(rec.relatives))}</dd>")
    body = (
        _site_header()
        + f'\n<h1>Directory: {E(q)}</h1>\n<dl class="directory">\n'
        + "\n".join(items)
        + "\n</dl>"
    )
    return _page(f"{q} - DirectoryDL", body)


def layout_furniture(recs: list[Shown], q: str, rng: random.Random) -> str:
    hits = []
    for rec in recs:
        age = _age_text(rec, rng)
        rows = [f'<div class="hit-name"><a href="/r/{rec.slug}">{E(rec.name)}</a></div>']
        if age:
            rows.append(f'<div class="hit-row">{E(age)}</div>')
        rows.append(f'<div class="hit-row">Current: {E(rec.places[0])}</div>')
        if len(rec.places) > 1:
            rows.append(f'<div class="hit-row">Past: {E(", ".join(rec.places[1:]))}</div>')
        for a in rec.addresses:
            rows.append(f'<div class="hit-row">{E(a)}</div>')
        if rec.phones:
            rows.append(f'<div class="hit-row">Phones: {E(", ".join(rec.phones))}</div>')
        for m in rec.emails:
            rows.append(f'<div class="hit-row">{E(m)}</div>')
        if rec.relatives:
            rows.append(f'<div class="hit-row">Relatives: {E(", ".join(rec.relatives))}</div>')
        rows.append(f'<div class="hit-row"><a href="javascript:openReport(\'{rec.slug}\')">'
                    "Unlock full report</a></div>")  # fmt: skip
        hits.append(f'<li class="hit">{"".join(rows)}</li>')
    people = [{"@type": "Person", "name": r.name, "address": r.places[0]} for r in recs[:5]]
    also = "".join(
        f'<li><a href="/search?q={i}">{E(rng.choice(GIVEN))} {E(rng.choice(FAMILY))}</a> '
        f"{E(rng.choice(OTHER_US_PLACES))}, Age {rng.randrange(20, 80)}</li>"
        for i in range(6)
    )
    head = (
        '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@graph": people})
        + "</script><style>.hit{margin:1em}</style>"
    )
    body = (
        '<div class="navbar"><a href="/">PeopleSeekr</a> <a href="/pricing">Pricing</a> '
        '<a href="/login">Log in</a></div>\n'
        '<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/tx">People</a></li>'
        "</ol>\n"
        '<form class="search"><label>First name <input name="fn"></label>'
        '<label>City <input name="city" value="Austin, TX"></label></form>\n'
        '<div class="ad-slot sponsored"><b>Dr. Alan Sponsorton</b>, Age 50, '
        'Springfield, IL, (800) 555-0100 — <a href="https://ads.example.test/c">Learn more</a>'
        "</div>\n"
        f"<h1>{len(recs)} results for {E(q)}</h1>\n"
        '<ol class="hits">\n' + "\n".join(hits) + "\n</ol>\n"
        '<div class="promo-box"><p>Try premium! <b>Gary Upsell</b>, 44 years old, '
        "Tulsa, OK</p></div>\n"
        f"<section><h3>People also searched</h3><ul>{also}</ul></section>\n"
        '<script>var data = {"name": "Hidden Person", "age": 33};</script>\n'
        '<div style="display:none">Hidden Personne, Age 33, Austin, TX, (512) 555-0199</div>\n'
        '<div class="site-footer">PeopleSeekr Inc · 500 Harbor Boulevard, Tampa, FL 33602 · '
        "(813) 555-0100 · Contact: Mary Support, Age 30</div>"
    )
    return _page(f"{q} - PeopleSeekr", body, head)


LAYOUTS = {
    # Held-out first: written before tuning, never tuned against.
    "grid": ("heldout", layout_grid, "https://findfolks.example.test/search?q=x"),
    "article": ("heldout", layout_article, "https://records.example.test/find/"),
    "cards": ("dev", layout_cards, "https://peoplelookupz.example.test/search?name=x"),
    "table": ("dev", layout_table, "https://recordtablez.example.test/results/list.php"),
    "list": ("dev", layout_list, "https://listfinder.example.test/q/x"),
    "dl": ("dev", layout_dl, "https://directorydl.example.test/dir/x"),
    "furniture": ("dev", layout_furniture, "https://peopleseekr.example.test/s/x"),
}
PAGES_PER_LAYOUT = {"dev": 5, "heldout": 4}


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.html"):
        old.unlink()
    labels: dict[str, dict] = {}
    page_no = 0
    for layout, (group, render, base_url) in LAYOUTS.items():
        for i in range(PAGES_PER_LAYOUT[group]):
            profile = PROFILES[(page_no * 3 + i) % len(PROFILES)]
            page_no += 1
            recs = make_records(profile, rng, page_no)
            query = _strip_accents(profile["names"][0])
            page = render(recs, query, rng)
            fname = f"{layout}-{i + 1}.html"
            (OUT / fname).write_text(page, encoding="utf-8")
            labels[fname] = {
                "layout": layout,
                "group": group,
                "profile": profile["id"],
                "base_url": base_url,
                "records": [
                    {"name": r.name, "truth": r.truth, "profile": profile["id"], "slug": r.slug}
                    for r in recs
                ],
            }
    profiles = [{k: v for k, v in p.items() if k != "nick"} for p in PROFILES]
    (OUT / "profiles.json").write_text(json.dumps(profiles, indent=1, ensure_ascii=False) + "\n")
    meta = {"today": TODAY.isoformat(), "seed": SEED, "pages": labels}
    (OUT / "labels.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    total = sum(len(v["records"]) for v in labels.values())
    print(f"wrote {len(labels)} pages, {total} labelled records to {OUT}")


if __name__ == "__main__":
    main()
