"""Ages, birth years, phones, emails, places and relatives in a record's text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from exposure.extract.labels import _PAST_LABEL, _PLACE_LABEL, _RELATIVE_LABEL
from exposure.extract.names import _names_in
from exposure.extract.places import (
    _PLACE_US,
    _UK_POSTCODE,
    _find_streets,
    _is_street,
    _places_from_line,
    _tidy_place,
    _us_place,
)

# --------------------------------------------------------------------------- fields

_AGE_PATTERNS = (
    re.compile(r"\bage[ds]?\s*[:\-]?\s*(\d{1,3})\b", re.I),
    re.compile(r"\b(\d{1,3})\s*(?:years?|yrs?)(?:\s*old|\s+of\s+age)?\b", re.I),
    re.compile(r"\b(\d{1,3})\s*y/?o\b", re.I),
    re.compile(r"\((\d{2,3})\)(?!\s*\d)"),
)
_BIRTH_PATTERN = re.compile(
    r"\b(?:born(?:\s+in)?|b\.|birth\s*year|year\s+of\s+birth|dob|date\s+of\s+birth|birth\s*date)"
    r"\s*[:\-]?\s*(?:[A-Za-z]{3,9}\.?\s+(?:\d{1,2},?\s+)?|\d{1,2}[/.\-]\d{1,2}[/.\-]|"
    r"\d{1,2}\s+[A-Za-z]{3,9}\s+)?((?:18|19|20)\d{2})\b",
    re.I,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")

_SEGMENT = re.compile(r"\s+[—–|•·]\s+|\s+-\s+")


def _unique(items: Iterable[str]) -> list[str]:
    from exposure.people.names import fold

    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = fold(item)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _find_age(text: str) -> int | None:
    """The first age the text states (a relative's age further on is not the record's)."""
    best: tuple[int, int] | None = None
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            value = int(match.group(1))
            if 1 <= value <= 120:
                if best is None or match.start() < best[0]:
                    best = (match.start(), value)
                break
    return best[1] if best else None


# "Jane Doe, 43", "Jane Doe (43)", "Jane Doe, Age 43", "Jane Doe 43 yrs": the
# age printed right after the record's own name, with nothing but a separator
# or the end of the line after it (so "Jane Doe, 123 Main St" is no age).
_GLUED_AGE = re.compile(
    r"^\s*[,(]?\s*(?:age[ds]?\s*[:\-]?\s*)?(\d{1,3})\s*\)?"
    r"(?:\s*(?:yrs?|years?)(?:\s+old)?)?\s*(?:$|[|•·—–;,(])",
    re.I,
)


def glued_age(name: str, lines: Sequence[str]) -> int | None:
    """The age glued to the record's name on its name line, if any."""
    from exposure.people.names import fold

    want = fold(name)
    if not want:
        return None
    for line in lines[:8]:
        folded = fold(line)
        if not folded.startswith(want):
            continue
        # fold() keeps length for ASCII; map the cut back on the raw line when it can.
        rest = line[len(name) :] if line[: len(name)].casefold() == name.casefold() else ""
        match = _GLUED_AGE.match(rest) if rest else None
        if match:
            value = int(match.group(1))
            return value if 1 <= value <= 120 else None
        return None
    return None


_RANGE_SEP = r"\s*(?:-|–|—|to)\s*"
_AGE_RANGES = (
    # "Age guide 35-39", "Age 40-44", "Aged 35 to 39", "Age range: 30–34"
    re.compile(
        r"\bage[ds]?(?:\s+(?:guide|range|band|bracket|group|est(?:imate)?\.?))?\s*[:\-]?\s*"
        r"(\d{1,3})" + _RANGE_SEP + r"(\d{1,3})\b(?!\s*[/.]\d)",
        re.I,
    ),
    # "35-39 years old", "35 to 39 yrs"
    re.compile(r"\b(\d{1,3})" + _RANGE_SEP + r"(\d{1,3})\s*(?:years?|yrs?)\b", re.I),
)
# "in their 40s", "in her late 30s", "Age: 40s", "aged 40's"
_AGE_DECADE = re.compile(
    r"\b(?:in\s+(?:their|his|her)|age[ds]?(?:\s+(?:guide|range|band))?\s*[:\-]?)\s*"
    r"(?:(early|mid|late)[\s\-]+)?(\d)0['’]?s\b",
    re.I,
)


_BAND_NEXT = re.compile(r"\s*[|•·]?\s*\d{1,3}\s*(?:[-–—]\s*\d{1,3}|\+)(?!\d)")


def _band_row_end(text: str, at: int) -> int:
    while match := _BAND_NEXT.match(text, at):
        at = match.end()
    return at


_MARKED_BAND = re.compile(r"^(\d{1,3})\s*(?:(?:-|–|—|to)\s*(\d{1,3})|(\+))$")


def marked_band(texts: Sequence[str]) -> tuple[int, int] | None:
    """The age band a page marks as active in a row of bands ("65+" is 65–120)."""
    for text in texts:
        match = _MARKED_BAND.match(text.strip())
        if match:
            low = int(match.group(1))
            high = 120 if match.group(3) else int(match.group(2))
            if 1 <= low < high <= 120:
                return low, high
    return None


def _find_age_range(text: str) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """An age band the text states, and the spans it covers (so that "Age 40-44"
    is not also read as the age 40). Bands wider than 10 years say little and
    are ignored; year ranges ("Electoral roll 2011–2012") are not ages."""
    best: tuple[int, tuple[int, int]] | None = None
    spans: list[tuple[int, int]] = []
    for pattern in _AGE_RANGES:
        for match in pattern.finditer(text):
            low, high = int(match.group(1)), int(match.group(2))
            if not (1 <= low <= 120 and 1 <= high <= 120):
                continue
            spans.append(match.span())  # a band, even a useless one, is not an age
            if _BAND_NEXT.match(text, match.end()):
                # "Age 18-24 25-34 35-44 …": the page's row of bands, one of them
                # marked in markup only (read by the block walker), none in text.
                spans.append((match.end(), _band_row_end(text, match.end())))
                continue
            if low < high and high - low <= 10 and (best is None or match.start() < best[0]):
                best = (match.start(), (low, high))
    for match in _AGE_DECADE.finditer(text):
        decade = int(match.group(2)) * 10
        if decade < 10:
            continue
        part = (match.group(1) or "").casefold()
        low, high = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(part, (0, 9))
        spans.append(match.span())
        if best is None or match.start() < best[0]:
            best = (match.start(), (decade + low, decade + high))
    return (best[1] if best else None), spans


def _find_birth_year(text: str) -> int | None:
    match = _BIRTH_PATTERN.search(text)
    return int(match.group(1)) if match else None


# Seven digits or more with at most a few separators between: the least a phone
# number needs. Text without one never reaches phonenumbers' matcher (a quarter
# of the extraction time on the real-layouts pages).
_PHONE_LIKE = re.compile(r"\d(?:[\s().\-/]{0,3}\d){6}")


def _find_phones(text: str, regions: Sequence[str]) -> list[str]:
    if _PHONE_LIKE.search(text[:20000]) is None:
        return []
    import phonenumbers

    out: list[str] = []
    for region in dict.fromkeys(regions):
        try:
            for m in phonenumbers.PhoneNumberMatcher(text[:20000], region, max_tries=200):
                e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                if e164 not in out:
                    out.append(e164)
        except Exception:  # noqa: BLE001 - phonenumbers on hostile text
            continue
    return out


# "Lives in Austin, TX" / "Location: Leeds" in an element classed as a location.
_MARKED_PLACE_LABEL = re.compile(
    r"^(?:(?:lives?|living|resides?|lived)\s+(?:in|at)\b|[^:]{1,25}:)\s*", re.I
)


def fields_from_text(
    text: str,
    *,
    default_region: str = "US",
    address_hints: Sequence[str] = (),
    place_hints: Sequence[str] = (),
    marked_places: Sequence[str] = (),
) -> dict[str, Any]:
    """Age (or age band), birth year, places, addresses, phones, emails and
    relatives found in a record's text (one line per visual line). Used for
    result blocks and for search-engine snippets alike. ``place_hints`` are
    places already known to be the record's (printed after its name); they
    come first and also decide how phone numbers are read. ``marked_places``
    are texts the markup calls a city or location: kept after the places the
    text gives, unless one of those already holds them ("Dallas" beside
    "Dallas, TX")."""
    from exposure.people.locations import region_of_location

    age_range, range_spans = _find_age_range(text)
    age_text = text
    for start, end in range_spans:
        age_text = age_text[:start] + " " * (end - start) + age_text[end:]
    age = _find_age(age_text)
    if age is not None:
        age_range = None  # an exact age beats a band
    birth_year = _find_birth_year(text)
    lines = [seg for line in text.split("\n") for seg in _SEGMENT.split(line) if seg.strip()]
    current: list[str] = []
    past: list[str] = []
    relatives: list[str] = []
    in_relatives = False
    in_places: list[str] | None = None
    for line in lines:
        rel = _RELATIVE_LABEL.search(line)
        if rel and rel.start() <= 3:
            in_relatives, in_places = True, None
            tail = line[rel.end() :].lstrip(" :-—")
            relatives.extend(_names_in(tail))
            continue
        label = _PLACE_LABEL.match(line.strip())
        if label and label.end() > 0:
            in_relatives = False
            target = past if _PAST_LABEL.search(label.group(0)) else current
            tail = line.strip()[label.end() :]
            target.extend(_places_from_line(tail))
            in_places = target
            continue
        if in_relatives:
            names = _names_in(line)
            if names:
                relatives.extend(names)
                continue
            in_relatives = False
        if in_places is not None:
            found = _places_from_line(line) if ":" not in line else []
            if found:
                in_places.extend(found)
                continue
            in_places = None
        for m in _PLACE_US.finditer(line):
            current.append(_us_place(m))
    streets = _find_streets(text)
    for hint in address_hints:
        hint = " ".join(hint.split())
        known = any(hint.startswith(s.split(",")[0]) for s in streets)
        if hint and any(ch.isdigit() for ch in hint[:12]) and hint not in streets and not known:
            streets.append(hint)
    for street in streets:
        parts = [p.strip() for p in street.split(",")[1:] if p.strip()]
        if parts:
            current.append(", ".join(parts))
    places = [_tidy_place(p) for p in _unique([*current, *past])]
    places = [p for p in _unique(places) if p and not _is_street(p)]
    places = _unique([*(_tidy_place(p) for p in place_hints), *places])
    for marked in marked_places:
        place = _tidy_place(_MARKED_PLACE_LABEL.sub("", marked))
        folded = place.casefold()
        if place and not any(folded in p.casefold() or p.casefold() in folded for p in places):
            places.append(place)
    regions = [default_region or "US"]
    for place in places[:5]:
        code = region_of_location(place) or (
            "GB" if _UK_POSTCODE.match(place.rsplit(",", 1)[-1].strip()) else None
        )
        if code:
            regions.append(code)
    emails = _unique(m.group(0).rstrip(".") for m in _EMAIL.finditer(text))
    return {
        "age": age,
        "age_range": age_range,
        "birth_year": birth_year,
        "places": places[:20],
        "addresses": _unique(streets)[:20],
        "phones": _find_phones(text, regions)[:20],
        "emails": emails[:20],
        "relatives": _unique(relatives)[:40],
    }
