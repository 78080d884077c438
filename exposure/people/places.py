"""States, provinces and territories by name or code: one gazetteer, from pycountry.

Pages print a region as a code ("QLD", "TX", "ON") or in full ("Queensland",
"Texas", "Ontario"); profiles do either. :func:`regions` says which ISO 3166-2
subdivisions a text can be, :func:`same_region` whether two texts can be the
same one ("QLD" ~ "Queensland"; "WA" is Washington or Western Australia, so it
matches either). The countries covered are those whose people-search pages
print regions as codes (:data:`COUNTRIES`); their subdivision names and codes
come from pycountry's ISO 3166-2 data, loaded once on first use (about 0.1 s,
only in a scan that reads broker pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from exposure.people.names import fold

__all__ = [
    "COUNTRIES",
    "Region",
    "is_region",
    "region_country",
    "region_key",
    "region_pattern",
    "regions",
    "same_region",
]

# Countries whose regions pages print as codes; the order breaks ties ("WA").
COUNTRIES = ("US", "CA", "AU")
# Subdivision kinds that are a region of an address (not e.g. US "outlying area").
_KINDS = frozenset({"state", "province", "territory", "district", "outlying area"})


@dataclass(frozen=True)
class Region:
    country: str  # "AU"
    code: str  # "QLD"
    name: str  # "Queensland"

    @property
    def key(self) -> str:
        return f"{self.country}-{self.code}"


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[Region, ...]]:
    """Folded code or name -> the regions it can be, in :data:`COUNTRIES` order."""
    import pycountry

    table: dict[str, list[Region]] = {}
    for country in COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country) or ():
            if str(sub.type).casefold() not in _KINDS:
                continue
            code = str(sub.code).split("-", 1)[1]
            region = Region(country, code, str(sub.name))
            for key in {fold(code), fold(str(sub.name))}:
                table.setdefault(key, []).append(region)
    return {k: tuple(v) for k, v in table.items()}


def regions(text: str) -> tuple[Region, ...]:
    """The regions ``text`` names ("qld", "Queensland", "Texas"), most likely first."""
    key = fold(text.strip().strip(".,"))
    if not key:
        return ()
    return _table().get(key, ())


def is_region(text: str) -> bool:
    return bool(regions(text))


def region_country(text: str) -> str:
    """The country a region implies ("TX" -> "US", "Ontario" -> "CA"), the most
    likely one for a code several countries use ("WA" -> "US"), else ""."""
    words = text.split()
    found = regions(text) or (regions(words[0]) if words else ())
    return found[0].country if found else ""


def region_key(text: str) -> frozenset[str]:
    """What :func:`same_region` compares: the region keys ``text`` can be, or
    the folded text itself for a region we do not know."""
    found = regions(text)
    return frozenset(r.key for r in found) if found else frozenset({fold(text)})


def same_region(a: str, b: str) -> bool:
    return bool(region_key(a) & region_key(b))


@lru_cache(maxsize=1)
def region_pattern() -> str:
    """A regex alternation of every region code and name (longest first), for
    finding "City ST" and "City, Region" in page text."""
    table = _table()
    codes = sorted({r.code for rs in table.values() for r in rs}, key=lambda c: (-len(c), c))
    names = sorted({r.name for rs in table.values() for r in rs}, key=lambda n: (-len(n), n))
    names = [n for n in names if n.isascii()] + [n for n in names if not n.isascii()]
    return "|".join(map(re.escape, [*names, *codes]))
