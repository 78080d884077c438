"""Places and street addresses as pages print them."""

from __future__ import annotations

import re


def _is_region(text: str) -> bool:
    from exposure.people.names import fold
    from exposure.people.profile import CA_PROVINCES, US_STATES

    if text in US_STATES or text in CA_PROVINCES:
        return True
    return fold(text) in _REGION_NAMES()


_REGION_CACHE: set[str] = set()


def _REGION_NAMES() -> set[str]:  # noqa: N802 - a lazily built constant
    if not _REGION_CACHE:
        from exposure.people import profile

        _REGION_CACHE.update(profile._US_STATE_NAMES, profile._CA_PROVINCE_NAMES)
        _REGION_CACHE.update(profile._COUNTRIES)
    return _REGION_CACHE


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
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Alberta|British Columbia|Manitoba|New Brunswick|Nova Scotia|"
    "Ontario|Quebec|Saskatchewan"
)
_PLACE_US = re.compile(
    r"(?<![\w])((?:[^\W\d_][\w'’.\-]*)(?:\s+[^\W\d_][\w'’.\-]*){0,3}),?\s+"
    r"(A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|PR|RI|"
    r"S[CD]|T[NX]|UT|V[TA]|W[AVIY]|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|"
    r"(?<=,\s)(?:" + _STATE_NAMES + r")|(?<=,)(?:" + _STATE_NAMES + r"))\b(?:\s+\d{5})?"
)

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
