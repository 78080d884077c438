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
regions 0.57; name + city + age 0.99; name + city + an age a generation off
0.72 (her record with a wrong birth date, or a parent of her name: below the
threshold when the record lists a relative of her name, or when another record
on the page has her city and her age); a same-surname record with another
given name counts only with her city *and* her age; part of her name (family
or given) at her street address in her town is her or someone she lives with,
so it is capped at HOUSEHOLD_CONFIDENCE. A record with her name
whose evidence without her phone/email/street would be very low (another
age, other places) is a ``LINKED_RECORD``: "your phone appears in another
person's record". Every finding keeps the reasons, ending with the total
evidence.

The pieces live beside this module: her name forms and the name screen
(:mod:`~exposure.people.name_match`), street lines (:mod:`~exposure.people.streets`),
places (:mod:`~exposure.people.place_match`), emails (:mod:`~exposure.people.emails`)
and the match result (:mod:`~exposure.people.record_match`).

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

from exposure.extract import Record, fields_from_text
from exposure.model import FindingKind, Profile
from exposure.people.emails import normalize_email_for_match
from exposure.people.name_match import NameForms
from exposure.people.names import compare_names, fold, parse_name
from exposure.people.place_match import CITY_ELSEWHERE, Place, parse_place, place_score
from exposure.people.profile import age_on
from exposure.people.record_match import RecordMatch, exposed_by, linked_match, matched_fields
from exposure.people.streets import HOUSE, normalize_street, street_match
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
# u 0.25 (how often a namesake's age falls that near). 10+ years off: m 0.08
# (brokers' ages come from stale, mistyped or merged birth dates) / u 0.65.
# Her name and her town with such an age stays under the threshold only if
# the name is shared on the page or misspelt, or another record there fits her.
W_AGE_OFF = -2.5
W_AGE_CONFLICT = -3.0
AGE_GENERATION = 10
# ... unless the record itself lists someone of her name among its relatives:
# then a relative of her name exists (a father and son of one name), and the
# age is what tells them apart: m 0.01 / u 0.65.
W_AGE_CONFLICT_KIN = -6.0
# Her city's name in another region (Brighton QLD ~ Brighton VIC): her record
# with a wrong region, or a town of that name elsewhere: m 0.03 / u 0.015.
W_CITY_ELSEWHERE = 1.0
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
# Her family name at her street address with another given name: her record or a
# housemate's, so never more sure than this.
HOUSEHOLD_CONFIDENCE = 0.75


def _age_conflict(years_off: int) -> float:
    return W_AGE_CONFLICT if years_off >= AGE_GENERATION else W_AGE_OFF


def _confidence(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** -(weight - PRIOR))


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
        self.her = NameForms(self.names)
        self.phones = {p.strip() for p in profile.phones if p.strip()}
        self.emails = {normalize_email_for_match(e) for e in profile.emails if "@" in e}
        self.streets = [s for s in (normalize_street(a) for a in profile.addresses) if s]
        self._houses = {s.house for s in self.streets}
        places: list[Place] = []
        for text in [*profile.locations, *profile.addresses]:
            pieces = [p.strip() for p in text.split(",")]
            if text in profile.addresses and len(pieces) > 1:
                text = ", ".join(pieces[1:])
            place = parse_place(text)
            if place and place not in places:
                places.append(place)
        self.places = places
        self.relatives = [" ".join(clean(n).split()) for n in profile.relatives if n.strip()]
        self.birth = profile.birth_date
        self.age = age_on(self.birth, self.today) if self.birth else None

    def name_score(self, seen: str) -> tuple[float, str]:
        """Best score of ``seen`` against the profile's names (primary and aliases)."""
        return self.her.score(seen)

    # ------------------------------------------------------------------ features

    def _may_link(self, record: Record) -> bool:
        """Cheap screen: could the record show the person's phone, email or street?"""
        if record.phones and not self.phones.isdisjoint(record.phones):
            return True
        if record.emails and self.emails:
            return True
        if record.addresses and self._houses:
            if "" in self._houses:
                return True  # a street with no house number: any address may be it
            for address in record.addresses:
                house = HOUSE.search(address[:40])
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
                if seen and any(street_match(mine, seen) for mine in self.streets):
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
        best: tuple[float, str, str, str, Place | None] = (0.0, "", "", "", None)
        for shown in record.places[:20]:
            seen = parse_place(shown)
            if seen is None:
                continue
            for mine in self.places:
                score, how = place_score(mine, seen)
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
        if how == CITY_ELSEWHERE:
            shown_c = clean(shown, limit=80)
            return (
                W_CITY_ELSEWHERE,
                None,
                f"her city's name in another region ({mine_shown} ~ {shown_c})",
            )
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

    def _lists_her_name(self, record: Record) -> bool:
        """The record names someone of her own name among its relatives."""
        return any(
            compare_names(mine, seen).score >= 0.97
            for seen in record.relatives[:40]
            for mine in self.names
        )

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
        gate = self.her.gate([r.name for r in records])
        names = [
            self.name_score(r.name)[0] if ok else 0.0 for r, ok in zip(records, gate, strict=True)
        ]
        named = sum(1 for n in names if n >= NAME_FLOOR)
        cities: dict[str, int] = {}
        if named > 1:
            for record, n in zip(records, names, strict=True):
                if n >= NAME_FLOOR:
                    for city in {p.city for p in map(parse_place, record.places[:1]) if p}:
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
        if named > 1 and any(m.corroborated and m.confidence >= 0.9 and not m.split for m in out):
            for match in out:
                # Not her town (or her town with an age a generation off, when
                # another record there has her age too): someone else of her name.
                if match.kind is FindingKind.PERSON_RECORD and (
                    not match.corroborated or match.split
                ):
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
            # Judged on the record alone: whether it is hers never depends on the page.
            alone = self._person(record, name_s, name_reason, ([], [], []), 1, {})
            if alone.confidence >= LINKED_BELOW:
                return match
            linked = linked_match(record, phones, emails, streets, name_reason)
            linked.reasons.append(f"as this person: {match.confidence:.2f} (namesake?)")
            linked.carries_name = True
            return linked
        if not (phones or emails) and (passed or streets):
            other = (
                self._household(record, streets, named, cities or {})
                if streets
                else self._family_only(record, named, cities or {})
                or self._given_only(record, named, cities or {})
            )
            if other is not None:
                return other
        if phones or emails or streets:
            return linked_match(record, phones, emails, streets, name_reason)
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
        if not family or not self.her.family_near(family):
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

    def _household(
        self, record: Record, streets: list[str], named: int, cities: dict[str, int]
    ) -> RecordMatch | None:
        """Her family name at her street address in her town, with another given
        name: her own record with the given name mistyped or replaced, or someone
        she lives with. Either way the listing shows her home under her family
        name; the confidence says it may be a housemate (never above
        HOUSEHOLD_CONFIDENCE), and an age a generation off makes it theirs."""
        if self._age(record)[0] < 0:
            return None
        family = fold(parse_name(record.name).family)
        shown = clean(record.name, limit=80)
        if family and self.her.family_near(family):
            how = f"family name {shown} is yours, given name is not"
        elif self.her.given_near(record.name):
            how = f"given name of {shown} is yours, family name is not"
        else:
            return None
        match = self._person(
            record,
            NAME_FLOOR,
            how,
            ([], [], streets),
            named,
            cities,
            base=W_FAMILY_ONLY,
        )
        if not any(r.startswith("place ") for r in match.reasons):
            return None  # her street line in another town is a coincidence
        cap = PRIOR + math.log2(HOUSEHOLD_CONFIDENCE / (1 - HOUSEHOLD_CONFIDENCE))
        if match.weight > cap:
            match.weight = cap
            match.confidence = round(_confidence(cap), 4)
            match.reasons[-1] = (
                f"part of your name at your street address: you, or someone you live with"
                f" (confidence {match.confidence:.2f})"
            )
        return match

    def _given_only(self, record: Record, named: int, cities: dict[str, int]) -> RecordMatch | None:
        """Her given name with another family name (married or maiden name, a
        replaced surname): hers only with her place and her age (±1 year)
        together; it never "carries her name"."""
        if self.age is None or not record.places or not self.her.given_forms:
            return None
        if record.age is None and record.birth_year is None:
            return None
        if not self.her.given_near(record.name) or self._age(record)[0] < W_AGE_BAND:
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
        if age_w == W_AGE_CONFLICT and self._lists_her_name(record):
            age_w = W_AGE_CONFLICT_KIN
            age_reason += "; it lists a relative of your name: that relative?"
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
            reasons.append("your street, not your house number")
        rel_w, rel_reason = self._relatives(record)
        weight += rel_w
        if rel_reason:
            reasons.append(rel_reason)
        if len(reasons) == 1 or (named > 1 and len(reasons) == 2):
            reasons.append("name only: not enough to say it is you")
        confidence = _confidence(weight)
        reasons.append(f"evidence {weight:+.1f} (log2 odds), confidence {confidence:.2f}")
        matched = matched_fields(record, place, phones, emails, streets)
        matched["exposes"] = exposed_by(record)
        her_town = place_reason.startswith("place ")
        corroborated = her_town or bool(phones or emails or streets)
        return RecordMatch(
            FindingKind.PERSON_RECORD,
            round(confidence, 4),
            reasons,
            matched,
            weight=weight,
            corroborated=corroborated,
            split=her_town and age_w < 0,
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
        for variant in sorted(self.her.variants):
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
