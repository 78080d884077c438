"""Places a person typed ("Austin, TX 78745", "Leeds, LS1, UK"): city, region,
postcode and country, and the phone region a place implies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from exposure.people.names import fold

__all__ = ["Location", "parse_location", "region_of_location"]

_COUNTRIES: dict[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u s a": "US",
    "u s": "US",
    "united states": "US",
    "united states of america": "US",
    "america": "US",
    "canada": "CA",
    "germany": "DE",
    "deutschland": "DE",
    "france": "FR",
    "spain": "ES",
    "espana": "ES",
    "italy": "IT",
    "italia": "IT",
    "netherlands": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "nederland": "NL",
    "belgium": "BE",
    "belgique": "BE",
    "ireland": "IE",
    "eire": "IE",
    "australia": "AU",
    "new zealand": "NZ",
    "india": "IN",
    "mexico": "MX",
    "brazil": "BR",
    "brasil": "BR",
    "argentina": "AR",
    "chile": "CL",
    "colombia": "CO",
    "peru": "PE",
    "japan": "JP",
    "china": "CN",
    "south korea": "KR",
    "korea": "KR",
    "taiwan": "TW",
    "hong kong": "HK",
    "singapore": "SG",
    "philippines": "PH",
    "indonesia": "ID",
    "malaysia": "MY",
    "thailand": "TH",
    "vietnam": "VN",
    "pakistan": "PK",
    "bangladesh": "BD",
    "sweden": "SE",
    "sverige": "SE",
    "norway": "NO",
    "norge": "NO",
    "denmark": "DK",
    "danmark": "DK",
    "finland": "FI",
    "suomi": "FI",
    "iceland": "IS",
    "poland": "PL",
    "polska": "PL",
    "portugal": "PT",
    "switzerland": "CH",
    "schweiz": "CH",
    "suisse": "CH",
    "austria": "AT",
    "osterreich": "AT",
    "greece": "GR",
    "turkey": "TR",
    "turkiye": "TR",
    "israel": "IL",
    "south africa": "ZA",
    "nigeria": "NG",
    "kenya": "KE",
    "egypt": "EG",
    "russia": "RU",
    "ukraine": "UA",
    "czech republic": "CZ",
    "czechia": "CZ",
    "slovakia": "SK",
    "hungary": "HU",
    "romania": "RO",
    "bulgaria": "BG",
    "croatia": "HR",
    "serbia": "RS",
    "slovenia": "SI",
    "estonia": "EE",
    "latvia": "LV",
    "lithuania": "LT",
    "luxembourg": "LU",
    "uae": "AE",
    "united arab emirates": "AE",
    "saudi arabia": "SA",
    "qatar": "QA",
}


# Postcode shapes, most specific first; each must be a whole-word match.
_POSTCODES = (
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I),  # UK: LS1 4AP
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b", re.I),  # Canada: M5V 2T6
    re.compile(r"\b\d{4}\s?[A-Z]{2}\b"),  # Netherlands: 1012 AB
    re.compile(r"\b\d{5}-\d{4}\b"),  # US ZIP+4
    re.compile(r"\b\d{3}-\d{4}\b"),  # Japan: 100-0001
    re.compile(r"\b\d{2}-\d{3}\b"),  # Poland: 00-950
    re.compile(r"\b\d{3}\s\d{2}\b"),  # Sweden / Czechia: 114 55
    re.compile(r"\b\d{4,6}\b"),  # US ZIP, DE/FR/ES/IT (5), AU/CH/AT/BE/DK/NO (4), IN/SG (6)
)


@dataclass(frozen=True)
class Location:
    """A best-effort split of a free-text place.

    ``country`` is the text as written ("UK", "Canada", "" when absent);
    ``country_code`` is the ISO 3166 code we recognised ("GB"), also inferred
    from a US state or Canadian province ("Austin, TX" → "US"), else "".
    """

    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    country_code: str = ""


def _country_code(text: str) -> str:
    """ISO code for a country name or code, or ""."""
    key = fold(text)
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    bare = text.strip().replace(".", "")
    if len(bare) == 2 and bare.isalpha() and bare.isupper():
        import phonenumbers

        if bare in phonenumbers.SUPPORTED_REGIONS:
            return bare
    return ""


def _region_country(region: str) -> str:
    """The country a state or province implies ("TX" → US, "Ontario" → CA), or ""."""
    from exposure.people.places import region_country

    return region_country(region)


def _take_postcode(part: str) -> tuple[str, str]:
    """Split a postcode out of one comma-separated part: (rest, postcode)."""
    for pattern in _POSTCODES:
        match = pattern.search(part)
        if match:
            rest = (part[: match.start()] + " " + part[match.end() :]).strip(" ,")
            return " ".join(rest.split()), " ".join(match.group(0).upper().split())
    return part, ""


def parse_location(text: str) -> Location:
    """Split "City, Region[ Postcode][, Country]" (and street addresses) best-effort.

    International by design: "Leeds, West Yorkshire LS1 4AP, UK", "75001 Paris,
    France", "Toronto, ON M5V 2T6, Canada" and "Austin, TX 78701" all work. The
    last part is taken as a country when it names one (a two-letter ISO code
    only with three or more parts, so "Denver, CO" stays Colorado). Used for
    broker URL placeholders {city} {region} {postcode}.
    """
    parts = [p.strip() for p in " ".join(text.split()).split(",") if p.strip()]
    if not parts:
        return Location()
    country = code = ""
    if len(parts) >= 2:
        last = parts[-1]
        by_name = _COUNTRIES.get(fold(last), "")
        by_code = _country_code(last) if len(parts) >= 3 or not _region_country(last) else ""
        if by_name or by_code:
            country, code = last, by_name or by_code
            parts = parts[:-1]
    postcode = ""
    for i in range(len(parts) - 1, -1, -1):
        rest, found = _take_postcode(parts[i])
        if found:
            postcode = found
            parts[i] = rest
            break
    parts = [p for p in parts if p]
    while len(parts) >= 2 and parts[0][:1].isdigit():
        parts = parts[1:]  # "10 Downing Street, London": a street, not the city
    city = region = ""
    if len(parts) == 1:
        city = parts[0]
        words = city.split()
        if len(words) >= 2 and words[-1].isalpha() and words[-1].isupper() and len(words[-1]) <= 3:
            city, region = " ".join(words[:-1]), words[-1]  # "Sydney NSW", "Austin TX"
    elif len(parts) >= 2:
        city, region = parts[-2], parts[-1]
    if not code and region:
        code = _region_country(region)
    return Location(city=city, region=region, postcode=postcode, country=country, country_code=code)


def region_of_location(text: str) -> str | None:
    """The phone region (ISO code) a location implies, or None."""
    return parse_location(text).country_code or None
