"""Places as a matcher compares them: city, ISO 3166-2 region keys, postcode."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from exposure.people.locations import parse_location
from exposure.people.names import fold
from exposure.people.places import is_region, region_key
from exposure.textsafe import clean

__all__ = ["CITY_ELSEWHERE", "Place", "parse_place", "place_score"]

# place_score's "how" when her city's name stands in another region (a wrong
# region on her record, or a town of that name elsewhere).
CITY_ELSEWHERE = "city name, another region"


@dataclass(frozen=True)
class Place:
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
def parse_place(text: str) -> Place | None:
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
    return Place(city, region, postcode, clean(text, limit=120), known)


def place_score(mine: Place, seen: Place) -> tuple[float, str]:
    """(score, how): 1.0 same city (and region), ~0.9 typo, 0.2 same region only,
    0.1 her city's name in another region (:data:`CITY_ELSEWHERE`)."""
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
    if region_conflict and mine.city and mine.city == seen.city:
        return 0.1, CITY_ELSEWHERE
    return 0.0, ""
