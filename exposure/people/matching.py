"""Does an extracted person record describe *this* person? Confidence and reasons.

Evidence is weighed the Fellegi–Sunter way: each comparison of a profile
field with the record (name, city, region, age, street, phone, email, a
relative the person named) has an outcome, and each outcome adds its match
weight log2(m/u) — m the chance of that outcome when the record is the
person, u when it is someone else (the W_* constants give both). Missing
fields weigh nothing. The sum is the log2 odds; ``confidence = 1 / (1 +
2^-(W - PRIOR))``. So a common name is weak and a rare exact street, her
phone or email, or a relative she named is strong.

Term frequencies come from the page, as splink takes them from the data being
linked: when N records on the page carry her name, the name weighs
½·log2(N) less; when N records share her city, so does the city. And when
one record on the page clearly is her (her city, phone, email or street),
records that only share her name, age and region lose W_EXPLAINED: the page
already explains her (one-to-one linkage).

Typical outcomes (one record alone): name alone 0.40; name + region 0.57;
name + age + another city in her region 0.91; name + age + only other
regions 0.57; name + city + age 0.99; a same-surname record with another
given name counts only with her city *and* her age. A record with her name
whose evidence without her phone/email/street would be very low (another
age, other places) is a ``LINKED_RECORD``: "your phone appears in another
person's record". Every finding keeps the reasons, ending with the total
evidence.

Measured with ``bench/match_quality.py`` (tests/fixtures/brokers, 33 pages,
421 records, 77 true: P 1.00 R 1.00; the blind set: P 1.00 R 0.95) and
``bench/real_layouts.py`` (eight real page structures, FEBRL people).

Speed (``bench/match_speed.py``): 100,000 records scored in ~0.6 s on one
(busy) core. The name is screened first, vectorised in rapidfuzz's C++ code: the
record names' tokens are compared with the profile's family-name forms
(``process.extract`` over the unique tokens; ``process.cdist`` would need
numpy, which is not a dependency), and only records passing that screen get
the structural comparison (:func:`exposure.people.names.compare_names`) and the
place and age features. Phones, emails and addresses are checked on every
record, because a stranger's record showing the person's phone matters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from exposure.extract import Record, fields_from_text
from exposure.model import FindingKind, Profile
from exposure.people.names import compare_names, fold, given_variants, name_variants, parse_name
from exposure.people.profile import age_on, parse_location
from exposure.textsafe import clean

__all__ = [
    "DEFAULT_THRESHOLD",
    "NAME_FLOOR",
    "ProfileMatcher",
    "RecordMatch",
    "normalize_email_for_match",
    "normalize_street",
]

DEFAULT_THRESHOLD = 0.6
NAME_FLOOR = 0.6  # a compare_names score below this is "another name"
GATE_CUTOFF = 75  # rapidfuzz ratio (0..100) of a record word to a family-name form
_HOUSE = re.compile(r"\d+[a-z]?", re.I)

# Fellegi–Sunter match weights: log2(m/u) for each comparison's outcome, where
# m = P(outcome | the record is the person) and u = P(outcome | someone else).
# Missing on either side weighs 0. Term-frequency adjusted from the page itself
# (as splink adjusts from the data being linked): a name that N records on the
# page carry weighs ½·log2(N) less (the page is a sample of people with that
# name, not the population); a city that N records share, likewise.
W_NAME_EXACT = 6.0  # m 0.85 / u 0.013
W_NAME_CLOSE = 5.0  # a spelling slip, a nickname: m 0.12 / u 0.004
W_NAME_WEAK = 2.0  # just above NAME_FLOOR
# Her family name, another given name: family m 0.9 / u 0.004 (+7.8), given
# name disagreeing m 0.05 / u 0.95 (-4.2).
W_FAMILY_ONLY = 3.6
# Her given name, another family name (a married or maiden name, a mistyped
# surname): given m 0.9 / u 0.02 (+5.5), family disagreeing m 0.05 / u 0.98
# (-4.3). Like W_FAMILY_ONLY, it counts only with her place and her age.
W_GIVEN_ONLY = 1.2
# Her city (or one she lived in): m 0.6 / u 0.02. A namesake elsewhere in the
# country shares her town about once in fifty; the page's own crowding of the
# city is the term-frequency adjustment below.
W_CITY = 5.0
W_POSTCODE = 3.0  # postcode agrees when the city does not
W_REGION = 1.0  # her region, no city given: m 0.6 / u 0.3
W_CITY_OTHER = -0.5  # another city in her region: m 0.25 / u 0.18 with the above
W_REGION_OTHER = -2.5  # only other regions: m 0.12 / u 0.7
W_AGE = 3.5  # ±1 year: m 0.9 / u 0.08
W_AGE_BAND = 2.5  # a band of ≤5 years holding her age
W_AGE_BAND_WIDE = 1.0  # 6-15 years
W_AGE_BAND_OPEN = 0.5  # wider, or open ("65+"): a fifth of all namesakes are in it
# Ages that disagree. 3-9 years off: m 0.05 (a stale or mistyped birth year) /
# u 0.25 (how often a namesake's age falls that near). 10+ years off, another
# generation (a father and son of one name in one town): m 0.03 / u 0.65.
W_AGE_OFF = -2.5
W_AGE_CONFLICT = -4.5
AGE_GENERATION = 10
W_STREET = 8.0  # her street address: m 0.4 / u 0.002
W_STREET_NAME = 3.0  # her street, another house number (typo or neighbour)
W_IDENT = 10.0  # her phone or email: m 0.5 / u 0.0005
W_RELATIVE = 5.0  # a relative she named: m 0.4 / u 0.012
# confidence = 1 / (1 + 2^-(W - PRIOR)): the prior odds that a record carrying a
# name like hers is her. Name + age + her region (W ≈ 9) is 0.9; name + age
# with another region, or name + her region alone, stay below 0.6; a name
# alone is 0.4.
PRIOR = 6.6
# When another record on the page is clearly her (her city or her phone, email
# or street), a record that only shares her name, age and region is most likely
# someone else: the page already explains the person (one-to-one linkage).
W_EXPLAINED = -3.0
# A record with her name that, without her phone/email/street, would score
# below this is someone else's record showing them (a linked record).
LINKED_BELOW = 0.06
LINKED_WEIGHTS = {"phone": 0.9, "email": 0.9, "home_address": 0.8}


@dataclass
class RecordMatch:
    """How a record relates to the profile: kind, confidence 0..1 and why."""

    kind: FindingKind | None
    confidence: float
    reasons: list[str] = field(default_factory=list)
    matched: dict[str, Any] = field(default_factory=dict)
    # The record carries the person's name (whatever the rest says): a page with
    # such a record is never "absent", even when no record reaches the threshold.
    carries_name: bool = False
    weight: float = 0.0  # Fellegi–Sunter evidence, log2 odds (person records)
    corroborated: bool = False  # her city, phone, email or street, not just name/age/region


def _age_conflict(years_off: int) -> float:
    return W_AGE_CONFLICT if years_off >= AGE_GENERATION else W_AGE_OFF


def _confidence(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** -(weight - PRIOR))


# --------------------------------------------------------------------------- emails


_DOT_INSENSITIVE = frozenset({"gmail.com", "googlemail.com"})
_PLUS_TAGS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "fastmail.com",
        "fastmail.fm",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "icloud.com",
        "me.com",
        "mac.com",
        "yandex.com",
        "yandex.ru",
    }
)


def normalize_email_for_match(email: str) -> str:
    """An email reduced to what its provider delivers on: case folded; for Gmail
    dots ignored and ``googlemail.com`` = ``gmail.com``; ``+tags`` dropped for
    providers known to ignore them. Other providers keep dots and tags."""
    email = email.strip().strip("<>").casefold()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    domain = domain.rstrip(".")
    if domain in _PLUS_TAGS:
        local = local.split("+", 1)[0]
    if domain in _DOT_INSENSITIVE:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


# --------------------------------------------------------------------------- streets

_STREET_ABBR = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "lane": "ln",
    "boulevard": "blvd",
    "court": "ct",
    "place": "pl",
    "terrace": "ter",
    "circle": "cir",
    "parkway": "pkwy",
    "highway": "hwy",
    "square": "sq",
    "crescent": "cres",
    "gardens": "gdns",
    "trail": "trl",
    "apartment": "apt",
    "suite": "ste",
    "unit": "apt",
    "flat": "apt",
    "number": "no",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_UNIT_WORDS = frozenset({"apt", "ste", "no"})


@dataclass(frozen=True)
class _Street:
    house: str
    unit: str
    words: str
    shown: str


@lru_cache(maxsize=8192)
def normalize_street(address: str) -> _Street | None:
    """The street line of an address as (house number, unit, street words):
    "4812 Maple Avenue Apt 3, Austin" → ("4812", "3", "maple ave")."""
    line = address.split(",")[0]
    folded = fold(line.replace("#", " apt "))
    tokens = [_STREET_ABBR.get(t, t) for t in folded.split()]
    if not tokens:
        return None
    numbers = [t for t in tokens if any(ch.isdigit() for ch in t)]
    if not numbers:
        return None
    house = numbers[0]
    unit = ""
    words: list[str] = []
    after_unit = False
    for tok in tokens:
        if tok in _UNIT_WORDS:
            after_unit = True
            continue
        if after_unit:
            unit, after_unit = tok, False
            continue
        if tok != house:
            words.append(tok)
    if not unit and len(numbers) > 1:
        unit = numbers[-1]
    return _Street(house, unit, " ".join(words), clean(address, limit=200))


def _street_match(mine: _Street, seen: _Street) -> bool:
    from rapidfuzz import fuzz

    if mine.house != seen.house:
        return False
    if mine.unit and seen.unit and mine.unit != seen.unit:
        return False
    if not mine.words or not seen.words:
        return False
    return (
        fuzz.ratio(mine.words, seen.words) >= 85
        or fuzz.token_set_ratio(mine.words, seen.words) >= 95
    )


# --------------------------------------------------------------------------- places


@dataclass(frozen=True)
class _Place:
    city: str  # folded
    region: frozenset[str]  # the ISO 3166-2 keys it can be ("AU-QLD"), or the folded text
    postcode: str
    shown: str
    # The region is one we know ("QLD", "Queensland"); a mistyped one ("VKC")
    # cannot contradict hers.
    region_known: bool = True


_UK_DISTRICT = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")  # outward code: "LS1", "SW1A"
_NO_REGION: frozenset[str] = frozenset()


@lru_cache(maxsize=16384)
def _parse_place(text: str) -> _Place | None:
    from exposure.people.places import is_region, region_key

    loc = parse_location(text)
    city = fold(loc.city)
    region = region_key(loc.region) if loc.region else _NO_REGION
    postcode = fold(loc.postcode).replace(" ", "")
    if region and _UK_DISTRICT.match(loc.region.strip()):
        # "Leeds, LS1": a UK postcode district, not a region that could conflict.
        region, postcode = _NO_REGION, postcode or fold(loc.region).replace(" ", "")
    if city and not region and is_region(loc.city):
        city, region = "", region_key(loc.city)  # "Texas", "WA": a region alone
    if not city and not region and not postcode:
        return None
    known = not region or is_region(loc.region) or is_region(loc.city)
    return _Place(city, region, postcode, clean(text, limit=120), known)


def _place_score(mine: _Place, seen: _Place) -> tuple[float, str]:
    """(score, how): 1.0 same city (and region), ~0.9 typo, 0.2 same region only."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import OSA

    if mine.postcode and seen.postcode and mine.postcode == seen.postcode:
        return 1.0, "postcode"
    region_conflict = bool(
        mine.region
        and seen.region
        and seen.region_known
        and mine.region_known
        and not (mine.region & seen.region)
    )
    if mine.city and seen.city and not region_conflict:
        if mine.city == seen.city:
            if seen.region and not seen.region_known:
                return 0.9, "city, region unreadable"
            return 1.0, "city"
        ratio = fuzz.ratio(mine.city, seen.city) / 100.0
        if ratio >= 0.85:
            return ratio, "city, spelling"
        if min(len(mine.city), len(seen.city)) >= 5 and OSA.distance(mine.city, seen.city) <= 1:
            return 0.9, "city, spelling"
    # A page sometimes prints only the region, or the city sits in the region slot.
    if mine.city and seen.region and not seen.city and mine.city in seen.region:
        return 0.9, "city"
    if mine.region and seen.region and mine.region & seen.region:
        return 0.2, "region"
    return 0.0, ""


# --------------------------------------------------------------------------- the matcher


@dataclass
class _Features:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    exposes: list[str] = field(default_factory=list)


class ProfileMatcher:
    """Scores records against one profile. Build it once per profile and scan.

    ``today`` fixes the date ages are computed on (tests, benchmarks).
    """

    def __init__(self, profile: Profile, *, today: date | None = None) -> None:
        self.profile = profile
        self.today = today or date.today()
        self.names = [" ".join(clean(n).split()) for n in profile.names if n and n.strip()]
        self._families: set[str] = set()
        self._givens: set[str] = set()
        self._given_forms: set[str] = set()  # her given names and their nicknames
        self._variants: set[str] = set()
        for name in self.names:
            parts = parse_name(name)
            for family in (parts.family, f"{parts.middle} {parts.family}".strip()):
                folded = fold(family)
                if folded:
                    self._families.update({folded, folded.replace(" ", "")})
                    self._families.update(folded.split())
            if parts.given:
                self._givens.add(fold(parts.given))
                self._given_forms |= {fold(g) for g in given_variants(parts.given)}
            self._variants |= name_variants(name)
        # Pages print "O'Neill" as "O Neill" and "ONeill": the last part alone also screens.
        for family in list(self._families):
            self._families.update(w for w in re.split(r"[\s'’-]+", family) if len(w) >= 3)
        for name in self.names:
            parts = parse_name(name)
            tail = re.split(r"['’]", parts.family)[-1]
            if len(tail) >= 3:
                self._families.add(fold(tail))
        self._families = {f for f in self._families if len(f) >= 2 and " " not in f}
        self.phones = {p.strip() for p in profile.phones if p.strip()}
        self.emails = {normalize_email_for_match(e) for e in profile.emails if "@" in e}
        self.streets = [s for s in (normalize_street(a) for a in profile.addresses) if s]
        self._houses = {s.house for s in self.streets}
        self._name_cache: dict[str, tuple[float, str]] = {}
        places: list[_Place] = []
        for text in [*profile.locations, *profile.addresses]:
            pieces = [p.strip() for p in text.split(",")]
            if text in profile.addresses and len(pieces) > 1:
                text = ", ".join(pieces[1:])
            place = _parse_place(text)
            if place and place not in places:
                places.append(place)
        self.places = places
        self.relatives = [" ".join(clean(n).split()) for n in profile.relatives if n.strip()]
        self.birth = profile.birth_date
        self.age = age_on(self.birth, self.today) if self.birth else None

    # ------------------------------------------------------------------ names

    def _gate(self, names: Sequence[str]) -> list[bool]:
        """Which record names could be the person's: one of their words is close to
        one of the profile's family-name forms (typos included).

        Vectorised: the words of all names are collected with one regex pass,
        compared with the family forms by rapidfuzz in C++ (``process.extract``),
        and the names are then screened with one compiled regex of the near words.
        """
        from rapidfuzz import fuzz, process, utils

        if not self._families or not names:
            return [False] * len(names)
        ascii_names = [n.isascii() for n in names]
        texts = [n if ok else fold(n) for n, ok in zip(names, ascii_names, strict=True)]
        # One C call lower-cases and splits every name at once.
        vocabulary = list(set(utils.default_process("\n".join(texts)).split()))
        near: set[str] = set()
        for family in self._families:
            hits = process.extract(
                family,
                vocabulary,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=GATE_CUTOFF,
                limit=None,
            )
            near.update(token for token, _score, _ in hits)
        if not near:
            return [False] * len(names)
        # A plain substring screen (word boundaries cost more than the rare extra
        # candidate, which compare_names then rejects).
        pattern = re.compile("|".join(map(re.escape, sorted(near, key=len, reverse=True))), re.I)
        search = pattern.search
        return [search(text) is not None for text in texts]

    def name_score(self, seen: str) -> tuple[float, str]:
        """Best score of ``seen`` against the profile's names (primary and aliases)."""
        cached = self._name_cache.get(seen)
        if cached is not None:
            return cached
        if len(self._name_cache) > 50_000:
            self._name_cache.clear()
        self._name_cache[seen] = result = self._name_score(seen)
        return result

    def _name_score(self, seen: str) -> tuple[float, str]:
        best = (0.0, f"name 0.00 (no match for {clean(seen, limit=80)})")
        for name in self.names:
            result = compare_names(name, seen)
            if result.score > best[0]:
                best = (result.score, result.reason)
        if best[0] < 0.8:
            typo = self._typo_rescue(seen)
            if typo > best[0]:
                shown = clean(" ".join(seen.split()), limit=80)
                best = (typo, f"name {typo:.2f} ({self.names[0]} ~ {shown}, typo)")
        return best

    def _typo_rescue(self, seen: str) -> float:
        """One slip (transposition, deletion, substitution) inside a long name word
        ("Pirya" for "Priya") that the structural comparison penalises too hard."""
        from rapidfuzz.distance import OSA

        folded = fold(seen).replace(",", " ")
        tokens = folded.split()
        orders = [tokens, [*tokens[1:], tokens[0]]] if len(tokens) >= 2 else [tokens]
        if len(tokens) > 2:
            # "Tians L Whiet", "Whiet, Tians Lee": given and family name only.
            orders += [[tokens[0], tokens[-1]], [tokens[1], tokens[0]]]
        best = 0.0
        for variant in self._variants:
            want = variant.split()
            if len(want) > 2:
                want = [want[0], want[-1]]
            for got in orders:
                if len(got) != len(want) or len(got) < 2:
                    continue
                diffs = [(a, b) for a, b in zip(want, got, strict=True) if a != b]
                if not 1 <= len(diffs) <= 2 or any(OSA.distance(a, b) > 1 for a, b in diffs):
                    continue
                lengths = sorted(min(len(a), len(b)) for a, b in diffs)
                if len(diffs) == 1 and lengths[0] >= 5:
                    best = max(best, 0.85)  # "Pirya" for "Priya"
                elif len(diffs) == 2 and lengths[0] >= 4:
                    best = max(best, 0.8)  # "Tians Whiet" for "Tiana White"
                elif len(diffs) == 2 and lengths[0] >= 3 and lengths[1] >= 6:
                    # "Amf Tiggeuan" for "Amy Tiggeman": a slip in a short given
                    # name alone is another name (Amy, Ami), but beside a slip in a
                    # long family name it is one typist's record. Weak: it counts
                    # only with her place and age.
                    best = max(best, 0.65)
        return best

    # ------------------------------------------------------------------ features

    def _may_link(self, record: Record) -> bool:
        """Cheap screen: could the record show the person's phone, email or street?"""
        if record.phones and not self.phones.isdisjoint(record.phones):
            return True
        if record.emails and self.emails:
            return True
        if record.addresses and self._houses:
            for address in record.addresses:
                house = _HOUSE.search(address[:40])
                if house and house.group(0).lower() in self._houses:
                    return True
        return False

    def _identifiers(self, record: Record) -> tuple[list[str], list[str], list[str]]:
        phones = [p for p in record.phones if p in self.phones] if self.phones else []
        emails = (
            [e for e in record.emails if normalize_email_for_match(e) in self.emails]
            if self.emails
            else []
        )
        streets: list[str] = []
        if self.streets:
            for address in record.addresses:
                seen = normalize_street(address)
                if seen and any(_street_match(mine, seen) for mine in self.streets):
                    streets.append(clean(address, limit=200))
        return phones, emails, streets

    def _places(
        self, record: Record, city_counts: dict[str, int] | None = None
    ) -> tuple[float, str | None, str]:
        """(weight, her place as shown, reason): her city (or one she lived in)
        is strong, less so when many records on the page share it; her region
        alone a little; only other regions count against."""
        if not record.places or not self.places:
            return 0.0, None, ""
        best: tuple[float, str, str, str, _Place | None] = (0.0, "", "", "", None)
        for shown in record.places[:20]:
            seen = _parse_place(shown)
            if seen is None:
                continue
            for mine in self.places:
                score, how = _place_score(mine, seen)
                if score > best[0]:
                    best = (score, shown, how, mine.shown, seen)
        score, shown, how, mine_shown, seen = best
        if score >= 0.85 and seen is not None:
            city = clean(shown, limit=80)
            weight = (W_POSTCODE if how == "postcode" else W_CITY) * score
            shared = (city_counts or {}).get(seen.city, 1) if seen.city else 1
            reason = f"place {score:.2f} ({mine_shown} ~ {city}, {how})"
            if shared > 1:
                weight -= 0.5 * math.log2(shared)
                reason += f"; {shared} records on the page live there"
            return weight, city, reason
        if score > 0:
            shown_c = clean(shown, limit=80)
            if seen is not None and seen.city:
                return (
                    W_REGION + W_CITY_OTHER,
                    None,
                    f"another city in her region ({mine_shown} ~ {shown_c})",
                )
            return W_REGION, shown_c, f"region only ({mine_shown} ~ {shown_c})"
        others = ", ".join(clean(p, limit=60) for p in record.places[:3])
        return W_REGION_OTHER, None, f"only other places ({others})"

    def _age(self, record: Record) -> tuple[float, str]:
        if self.birth is None or self.age is None:
            return 0.0, ""
        if record.age is None and record.birth_year is None and record.age_range:
            return self._age_band(record.age_range)
        if record.age is not None:
            diff = abs(record.age - self.age)
            shown = f"age {record.age} ~ born {self.birth.year}"
        elif record.birth_year is not None:
            diff = abs(record.birth_year - self.birth.year)
            shown = f"born {record.birth_year} ~ born {self.birth.year}"
        else:
            return 0.0, ""
        if diff <= 1:
            return W_AGE, shown
        if diff == 2:
            return 0.0, f"{shown} (2 years off)"
        return _age_conflict(diff), f"{shown} ({diff} years off)"

    def _age_band(self, band: tuple[int, int]) -> tuple[float, str]:
        """An age band ("Age guide 35-39") against the birth date: inside it is
        evidence (less for a wide band), just outside neutral, far outside a conflict."""
        assert self.age is not None and self.birth is not None
        low, high = sorted(band)
        shown = f"age {low}-{high} ~ born {self.birth.year}"
        if low <= self.age <= high:
            width = high - low
            weight = (
                W_AGE_BAND if width <= 5 else W_AGE_BAND_WIDE if width <= 15 else W_AGE_BAND_OPEN
            )
            return weight, shown
        diff = low - self.age if self.age < low else self.age - high
        if diff <= 2:
            return 0.0, f"{shown} ({diff} year{'s' if diff > 1 else ''} outside)"
        return _age_conflict(diff), f"{shown} ({diff} years outside)"

    def _relatives(self, record: Record) -> tuple[float, str]:
        if not self.relatives or not record.relatives:
            return 0.0, ""
        for seen in record.relatives[:40]:
            for mine in self.relatives:
                if compare_names(mine, seen).score >= 0.85:
                    return W_RELATIVE, f"relative {clean(seen, limit=80)} is one you named"
        return 0.0, ""

    # ------------------------------------------------------------------ scoring

    def score(self, record: Record) -> RecordMatch:
        """Kind, confidence and reasons for one record (alone: no page to weigh it by)."""
        return self.score_many([record])[0]

    def score_many(self, records: Sequence[Record]) -> list[RecordMatch]:
        """Score the records of one page. The name screen runs vectorised over all
        of them; the name's and the city's weights are adjusted by how many of
        the page's records carry them (term frequency)."""
        gate = self._gate([r.name for r in records])
        names = [
            self.name_score(r.name)[0] if ok else 0.0 for r, ok in zip(records, gate, strict=True)
        ]
        named = sum(1 for n in names if n >= NAME_FLOOR)
        cities: dict[str, int] = {}
        if named > 1:
            for record, n in zip(records, names, strict=True):
                if n >= NAME_FLOOR:
                    for city in {p.city for p in map(_parse_place, record.places[:1]) if p}:
                        if city:
                            cities[city] = cities.get(city, 0) + 1
        out: list[RecordMatch] = []
        may_link = self._may_link
        for record, passed in zip(records, gate, strict=True):
            if passed or may_link(record):
                out.append(self._score(record, passed, max(named, 1), cities))
            else:
                given = self._given_only(record, max(named, 1), cities)
                out.append(given or RecordMatch(None, 0.0, ["name does not match"], {}))
        if named > 1 and any(m.corroborated and m.confidence >= 0.9 for m in out):
            for match in out:
                if match.kind is FindingKind.PERSON_RECORD and not match.corroborated:
                    match.weight += W_EXPLAINED
                    match.confidence = round(_confidence(match.weight), 4)
                    match.reasons.append(
                        "another record on this page fits you better (your city, phone,"
                        f" email or street): confidence {match.confidence:.2f}"
                    )
        return out

    def _score(
        self, record: Record, passed: bool, named: int = 1, cities: dict[str, int] | None = None
    ) -> RecordMatch:
        phones, emails, streets = self._identifiers(record)
        name_s, name_reason = self.name_score(record.name) if passed else (0.0, "")
        if name_s >= NAME_FLOOR:
            match = self._person(
                record, name_s, name_reason, (phones, emails, streets), named, cities or {}
            )
            match.carries_name = True
            if not (phones or emails or streets):
                return match
            # Her phone, email or street on a record that without them would be
            # someone else (another age, other places): theirs, showing hers.
            alone = self._person(record, name_s, name_reason, ([], [], []), named, cities or {})
            if alone.confidence >= LINKED_BELOW:
                return match
            linked = self._linked(record, phones, emails, streets, name_reason)
            linked.reasons.append(f"as this person: {match.confidence:.2f} (namesake?)")
            linked.carries_name = True
            return linked
        if passed and not (phones or emails or streets):
            other = self._family_only(record, named, cities or {}) or self._given_only(
                record, named, cities or {}
            )
            if other is not None:
                return other
        if phones or emails or streets:
            return self._linked(record, phones, emails, streets, name_reason)
        return RecordMatch(None, 0.0, [name_reason or "name does not match"], {})

    def _family_only(
        self, record: Record, named: int, cities: dict[str, int]
    ) -> RecordMatch | None:
        """Her family name with another given name: a relative, a namesake, or her
        own record with the given name mistyped or replaced. Only her city and her
        age together (or her street) can make it hers; it never "carries her name"."""
        if self.age is None or self._age(record)[0] < W_AGE_BAND:
            return (
                None  # without her age (±1 year, a narrow band) a same-surname record is not hers
            )
        family = fold(parse_name(record.name).family)
        if not family or not self._family_near(family):
            return None
        match = self._person(
            record,
            NAME_FLOOR,
            f"family name {clean(record.name, limit=80)} is yours, given name is not",
            ([], [], []),
            named,
            cities,
            base=W_FAMILY_ONLY,
        )
        return match if match.corroborated else None

    def _family_near(self, family: str) -> bool:
        """One of her family-name forms, or one slip from it ("Maso" for "Mason")."""
        if family in self._families:
            return True
        from rapidfuzz.distance import OSA

        return len(family) >= 4 and any(
            len(mine) >= 4 and OSA.distance(family, mine) <= 1 for mine in self._families
        )

    def _given_only(self, record: Record, named: int, cities: dict[str, int]) -> RecordMatch | None:
        """Her given name with another family name (married or maiden name, a
        replaced surname): hers only with her place and her age (±1 year)
        together; it never "carries her name"."""
        if self.age is None or not record.places or not self._given_forms:
            return None
        if record.age is None and record.birth_year is None:
            return None
        first = record.name.split(maxsplit=1)[0] if record.name.strip() else ""
        if fold(first) not in self._given_forms or self._age(record)[0] < W_AGE_BAND:
            return None
        match = self._person(
            record,
            NAME_FLOOR,
            f"given name of {clean(record.name, limit=80)} is yours, family name is not",
            ([], [], []),
            named,
            cities,
            base=W_GIVEN_ONLY,
        )
        return match if match.corroborated else None

    def _person(
        self,
        record: Record,
        name_s: float,
        name_reason: str,
        identifiers: tuple[list[str], list[str], list[str]],
        named: int,
        cities: dict[str, int],
        base: float | None = None,
    ) -> RecordMatch:
        phones, emails, streets = identifiers
        if base is not None:
            weight = base
        elif name_s >= 0.97:
            weight = W_NAME_EXACT
        elif name_s >= 0.85:
            weight = W_NAME_CLOSE
        else:
            weight = W_NAME_WEAK + (W_NAME_CLOSE - W_NAME_WEAK) * (name_s - NAME_FLOOR) / 0.25
        reasons = [name_reason]
        if named > 1 and base is None:
            weight -= 0.5 * math.log2(named)
            reasons.append(f"{named} records on the page carry the name: weaker evidence")
        place_w, place, place_reason = self._places(record, cities)
        if place_w < 0 and (phones or emails or streets):
            place_w = 0.0  # their own phone/email/street outweighs a stale city
            place_reason = place_reason.replace("only other places", "other places")
        weight += place_w
        if place_reason:
            reasons.append(place_reason)
        age_w, age_reason = self._age(record)
        weight += age_w
        if age_reason:
            reasons.append(age_reason)
        for values, what in ((phones, "phone"), (emails, "email")):
            if values:
                weight += W_IDENT
                reasons.append(f"{what} {clean(values[0], limit=80)} is yours")
        if streets:
            weight += W_STREET
            reasons.append(f"street address {clean(streets[0], limit=80)} is yours")
        elif self._street_names(record):
            weight += W_STREET_NAME
            reasons.append("your street, another house number")
        rel_w, rel_reason = self._relatives(record)
        weight += rel_w
        if rel_reason:
            reasons.append(rel_reason)
        if len(reasons) == 1 or (named > 1 and len(reasons) == 2):
            reasons.append("name only: not enough to say it is you")
        confidence = _confidence(weight)
        reasons.append(f"evidence {weight:+.1f} (log2 odds), confidence {confidence:.2f}")
        matched = self._matched(record, place, phones, emails, streets)
        matched["exposes"] = _exposes(record)
        corroborated = place_reason.startswith("place ") or bool(phones or emails or streets)
        return RecordMatch(
            FindingKind.PERSON_RECORD,
            round(confidence, 4),
            reasons,
            matched,
            weight=weight,
            corroborated=corroborated,
        )

    def _street_names(self, record: Record) -> bool:
        """One of her street names (not the house number) in the record's addresses."""
        if not self.streets or not record.addresses:
            return False
        from rapidfuzz import fuzz

        for address in record.addresses[:10]:
            seen = normalize_street(address)
            if seen is None or not seen.words:
                continue
            for mine in self.streets:
                if mine.words and len(mine.words) >= 4 and fuzz.ratio(mine.words, seen.words) >= 90:
                    return True
        return False

    def _linked(
        self,
        record: Record,
        phones: list[str],
        emails: list[str],
        streets: list[str],
        name_reason: str,
    ) -> RecordMatch:
        exposes: list[str] = []
        miss = 1.0
        reasons: list[str] = []
        shown = clean(" ".join(record.name.split()), limit=80)
        for values, what, label in (
            (phones, "phone", "your phone"),
            (emails, "email", "your email"),
            (streets, "home_address", "your street address"),
        ):
            if values:
                exposes.append(what)
                miss *= 1.0 - LINKED_WEIGHTS[what]
                reasons.append(
                    f"{label} {clean(values[0], limit=80)} appears in another person's record"
                    f" ({shown})"
                )
        if name_reason:
            reasons.append(name_reason)
        matched = self._matched(record, None, phones, emails, streets)
        matched["exposes"] = exposes
        return RecordMatch(FindingKind.LINKED_RECORD, round(1.0 - miss, 4), reasons, matched)

    def _matched(
        self,
        record: Record,
        place: str | None,
        phones: list[str],
        emails: list[str],
        streets: list[str],
    ) -> dict[str, Any]:
        return {
            "name": clean(" ".join(record.name.split()), limit=200),
            "location": place or (clean(record.places[0], limit=120) if record.places else None),
            "age": record.age,
            "birth_year": record.birth_year,
            "age_range": list(record.age_range) if record.age_range else None,
            "phones": phones,
            "emails": [clean(e, limit=200) for e in emails],
            "addresses": streets,
            "relatives": [clean(r, limit=120) for r in record.relatives[:20]],
        }

    # ------------------------------------------------------------------ free text

    def score_text(self, text: str, url: str = "") -> RecordMatch:
        """Score a search-engine result (title + snippet) as if it were a record.

        The name is the best-matching stretch of the text; places are taken
        from the text and from the profile's own cities named in it.
        """
        from rapidfuzz import fuzz

        text = clean(text, keep_newlines=True, limit=5000)
        folded = fold(text)
        best_name, best = "", 0.0
        for variant in sorted(self._variants):
            if len(variant.split()) < 2:
                continue
            align = fuzz.partial_ratio_alignment(variant, folded, score_cutoff=85)
            if align is not None and align.score > best:
                start, end = align.dest_start, align.dest_end
                # Widen to whole words.
                while start > 0 and folded[start - 1] != " ":
                    start -= 1
                while end < len(folded) and folded[end] != " ":
                    end += 1
                best, best_name = align.score, folded[start:end].strip()
        facts = fields_from_text(text)
        places = list(facts["places"])
        for place in self.places:
            if place.city and re.search(rf"\b{re.escape(place.city)}\b", folded):
                places.append(place.shown)
        record = Record(
            name=best_name.title(),
            age=facts["age"],
            age_range=facts["age_range"],
            birth_year=facts["birth_year"],
            places=places,
            addresses=facts["addresses"],
            phones=facts["phones"],
            emails=facts["emails"],
            url=url or None,
            text=clean(text, limit=2000),
        )
        return self.score(record)


def _exposes(record: Record) -> list[str]:
    out = []
    if record.addresses:
        out.append("home_address")
    if record.phones:
        out.append("phone")
    if record.emails:
        out.append("email")
    if record.relatives:
        out.append("relatives")
    if record.age is not None or record.birth_year is not None or record.age_range:
        out.append("age")
    return out
