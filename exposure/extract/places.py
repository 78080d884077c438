"""Places and street addresses as pages print them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator


def _is_region(text: str) -> bool:
    """A state, province or territory (code or name), or a country."""
    from exposure.people.locations import _COUNTRIES
    from exposure.people.names import fold
    from exposure.people.places import is_region

    return is_region(text) or fold(text) in _COUNTRIES


_UK_POSTCODE = re.compile(
    r"^[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?$"  # "LS1", "SW1A 1AA"
)

_STREET_WORDS = (
    r"street|st|avenue|ave|av|road|rd|drive|dr|lane|ln|boulevard|blvd|court|ct|place|pl|way|"
    r"terrace|ter|circle|cir|parkway|pkwy|highway|hwy|close|crescent|cres|gardens|gdns|square|sq|"
    r"row|mews|grove|trail|trl|walk|hill|loop|path|pike|alley|crossing|xing|strasse|straße|str"
)
_STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
    r"(?:[^\W\d_][\w'’.\-]*\s+){0,4}(?:" + _STREET_WORDS + r")\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|flat|#)\.?\s*#?\s*[\w\-]+)?",
    re.I,
)
_STREET_TAIL = re.compile(
    r"^,?\s*([^\W\d_][^,\n]{1,40}?),\s*([A-Za-z][A-Za-z .]{1,30}?)(?:\s+(\d{5}(?:-\d{4})?|"
    r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d))?(?=$|[\n,;|)])",
)


class _LazyPattern:
    """A regex built on first use: the region alternation comes from pycountry."""

    def __init__(self, build: Callable[[], re.Pattern[str]]) -> None:
        self._build = build
        self._pattern: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = self._build()
        return self._pattern

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._get().finditer(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._get().fullmatch(text)


def _place_us() -> re.Pattern[str]:
    from exposure.people.places import region_pattern

    regions = region_pattern()
    # "City ST", "City, ST", "City, Region name" (a full name only after a comma).
    return re.compile(
        r"(?<![\w])((?:[^\W\d_][\w'’.\-]*)(?:\s+[^\W\d_][\w'’.\-]*){0,3}),?\s+"
        r"((?<=,\s)(?:" + regions + r")|(?<=,)(?:" + regions + r")|"
        r"(?:" + "|".join(c for c in regions.split("|") if c.isupper() and len(c) <= 3) + r"))"
        r"\b(?:\s+\d{4,5}(?:-\d{4})?)?"
    )


_PLACE_US = _LazyPattern(_place_us)
_CAPS_WORD = re.compile(r"^[A-Z]")


_NOT_PLACE_WORDS = frozenset(
    """age aged phone phones email emails relatives relative view details detail born years old
    report reports unlock save more profile open full see click here contact results search
    associated related premium yrs""".split()  # noqa: SIM905
)


def _plausible_place(text: str) -> bool:
    text = text.strip(" ,.;:")
    if not (2 <= len(text) <= 60) or "@" in text:
        return False
    if sum(ch.isdigit() for ch in text) > 8:
        return False
    words = text.replace(",", " ").split()
    if not words or len(words) > 8:
        return False
    lowered = {w.casefold().strip(".:") for w in words}
    if lowered & _NOT_PLACE_WORDS:
        return False
    return bool(_CAPS_WORD.match(text))


def _find_streets(text: str) -> list[str]:
    out: list[str] = []
    for match in _STREET.finditer(text):
        street = " ".join(match.group(0).split()).rstrip(",")
        tail = _STREET_TAIL.match(text[match.end() : match.end() + 90])
        if tail:
            street = f"{street}, {' '.join(tail.group(0).strip(' ,').split())}"
        out.append(street)
    return out


_LEADING_LOWER = re.compile(r"^(?:[a-z]\S*\s+)+")


def _us_place(match: re.Match[str]) -> str:
    """ "City, ST" from a place match, without leading lower-case words ("and", "in")."""
    city = _LEADING_LOWER.sub("", " ".join(match.group(1).split()))
    return f"{city}, {match.group(2)}"


def _places_from_line(line: str) -> list[str]:
    """Places on a labelled line ("Lives in Austin, TX", "Previous: Leeds; York")."""
    out: list[str] = []
    rest = line
    for chunk in re.split(r"\s*[;|•·]\s*|\s+/\s+|\s+and\s+", rest):
        chunk = chunk.strip(" ,.")
        if chunk and _plausible_place(chunk):
            us = list(_PLACE_US.finditer(chunk))
            if len(us) > 1:
                out.extend(_us_place(m) for m in us)
            else:
                out.append(chunk)
    return out


_ZIP_TAIL = re.compile(r"\s+\d{5}(?:-\d{4})?$")


def _tidy_place(place: str) -> str:
    place = " ".join(place.split()).strip(" ,.;:")
    return _ZIP_TAIL.sub("", place)


def _is_street(place: str) -> bool:
    return bool(_STREET.match(place))
