"""Filling a broker's search URLs from a profile.

:func:`fill_urls` turns a template and a profile into concrete search URLs (one
per useful name x place combination, bounded), or a :class:`SkipReason` when
the profile cannot fill it ("needs a city"). Values are URL-encoded: with
``%20`` in the path and ``+`` in the query; a broker's ``slug`` separator
first turns spaces and punctuation inside a value into e.g. ``-`` for sites
whose URLs look like ``/name/Jane-Doe/Austin-TX``. :func:`out_of_area` says
when a one-country broker is not worth asking about a person at all.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TypedDict, Unpack
from urllib.parse import quote, quote_plus

from exposure.catalogues.brokers.model import (
    NAME_KEYS,
    PLACE_KEYS,
    PLACEHOLDER_FIELD,
    TOKEN,
    Broker,
    FilledUrl,
    SkipReason,
    template_keys,
)
from exposure.model import Profile

MAX_URLS = 4  # per template: enough for a name alias or a second town, not a crawl
# Countries-in-name-only: no filtering of places or phones by country.
_ANY_COUNTRY = frozenset({"", "INTL", "EU"})


@dataclass(frozen=True)
class _Place:
    city: str
    region: str
    postcode: str
    country_code: str

    def get(self, key: str) -> str:
        return str(getattr(self, key))


def _private(key: str, private: Collection[str]) -> bool:
    return key in private or PLACEHOLDER_FIELD[key] in private


def _name_values(profile: Profile) -> list[dict[str, str]]:
    from exposure.people.names import parse_name

    out: list[dict[str, str]] = []
    for raw in profile.names:
        text = " ".join(str(raw).split())
        if not text:
            continue
        parts = parse_name(text)
        first, last = parts.given, parts.family
        # A middle initial narrows a search too much ("Jane Q Doe" -> "Jane Doe"); a
        # middle *name* may be part of the name people search for (María José, a
        # double surname), so the name is then kept as written.
        initials = all(len(w.strip(".")) == 1 for w in parts.middle.split())
        full = f"{first} {last}" if first and last and initials else text
        out.append({"full_name": full, "first": first, "last": last})
    return out


def _places(profile: Profile, private: Collection[str]) -> list[_Place]:
    from exposure.people.profile import parse_location

    texts = list(profile.locations)
    if "address" not in private:
        texts += list(profile.addresses)
    places: list[_Place] = []
    for text in texts:
        loc = parse_location(str(text))
        place = _Place(loc.city, loc.region, loc.postcode, loc.country_code)
        if (place.city or place.region or place.postcode) and place not in places:
            places.append(place)
    return places


def _phone_digits(e164: str, country: str) -> str | None:
    """The national number digits of an E.164 phone, or None when it is another country's."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    if country not in _ANY_COUNTRY and phonenumbers.region_code_for_number(number) != country:
        return None
    return str(number.national_number)


def _values_for(
    group: str, keys: set[str], profile: Profile, country: str, private: Collection[str]
) -> list[dict[str, str]] | SkipReason:
    """Every candidate value set for one placeholder group, or why there is none."""
    private_keys = sorted(k for k in keys if _private(k, private))
    if private_keys:
        what = PLACEHOLDER_FIELD[private_keys[0]]
        return SkipReason(f"needs your {what}, which is private in config")
    where = f" in {country}" if country not in _ANY_COUNTRY else ""
    if group == "name":
        names = [n for n in _name_values(profile) if all(n[k] for k in keys)]
        if names:
            return names
        if not profile.names:
            return SkipReason("needs a name")
        return SkipReason("needs a first and last name")
    if group == "place":
        places = _places(profile, private)
        if not places:
            return SkipReason(f"needs a {_place_word(keys)}")
        usable = [p for p in places if all(p.get(k) for k in keys)]
        if not usable:
            return SkipReason(f"needs a {_place_word(keys)}")
        if where:
            usable = [p for p in usable if p.country_code in ("", country)]
            if not usable:
                return SkipReason(f"needs a {_place_word(keys)}{where}")
        return [{k: p.get(k) for k in keys} for p in usable]
    if group == "email":
        emails = [e.strip() for e in profile.emails if e and e.strip()]
        return [{"email": e} for e in emails] if emails else SkipReason("needs an email address")
    if group == "phone":
        if not profile.phones:
            return SkipReason("needs a phone number")
        digits = [d for d in (_phone_digits(p, country) for p in profile.phones) if d]
        if not digits:
            return SkipReason(f"needs a phone number{where}")
        return [{"phone": d} for d in dict.fromkeys(digits)]
    users = [u.strip() for u in profile.usernames if u and u.strip()]
    return [{"username": u} for u in users] if users else SkipReason("needs a username")


def _place_word(keys: set[str]) -> str:
    if "city" in keys:
        return "city"
    if "region" in keys:
        return "region (state, province or county)"
    return "postcode"


_GROUP_OF = {
    "full_name": "name",
    "first": "name",
    "last": "name",
    "city": "place",
    "region": "place",
    "postcode": "place",
    "email": "email",
    "phone": "phone",
    "username": "username",
}
_SEND_FIELD = {"full_name": "name", "first": "name", "last": "name"}


def _slugged(value: str, slug: str) -> str:
    if not slug:
        return value
    value = re.sub(r"['’]", "", value)
    value = re.sub(r"[\s,./\\]+", slug, value.strip())
    return value.strip(slug)


def _render(template: str, values: dict[str, str], slug: str) -> str:
    query_at = template.find("?")

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        value = values[key]
        if key in NAME_KEYS or key in PLACE_KEYS:
            value = _slugged(value, slug)
        if 0 <= query_at < match.start():
            return quote_plus(value, safe="")
        return quote(value, safe="")

    return TOKEN.sub(one, template)


def fill_urls(
    template: str,
    profile: Profile,
    *,
    slug: str = "",
    country: str = "",
    private: Collection[str] = (),
    limit: int = MAX_URLS,
) -> list[FilledUrl] | SkipReason:
    """Concrete URLs for ``template`` and what each sends, or why there are none.

    One URL per combination of the profile's names (aliases included) and
    places (locations, then addresses), in that order, at most ``limit``.
    Places and phones of another country than the broker's are not used.
    A placeholder whose field is in ``private`` is never filled.
    """
    keys = template_keys(template)
    if not keys:
        return SkipReason("the search URL has no placeholder")
    groups: dict[str, set[str]] = {}
    for key in keys:
        groups.setdefault(_GROUP_OF[key], set()).add(key)
    options: list[list[dict[str, str]]] = []
    for group, group_keys in groups.items():
        values = _values_for(group, group_keys, profile, country.upper(), private)
        if isinstance(values, SkipReason):
            return values
        options.append(values)
    out: list[FilledUrl] = []
    seen: set[str] = set()
    for combo in itertools.product(*options):
        merged: dict[str, str] = {}
        for part in combo:
            merged.update(part)
        url = _render(template, merged, slug)
        if url in seen:
            continue
        seen.add(url)
        sends = _sends(keys, merged)
        out.append(FilledUrl(url=url, sends=sends))
        if len(out) >= limit:
            break
    return out


def _sends(keys: Iterable[str], values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    out: dict[tuple[str, str], None] = {}
    name_keys = [k for k in keys if k in NAME_KEYS]
    if name_keys:
        shown = values.get("full_name") or " ".join(
            values[k] for k in ("first", "last") if k in values
        )
        out[("name", shown)] = None
    for key in keys:
        if key not in NAME_KEYS:
            out[(_SEND_FIELD.get(key, key), values[key])] = None
    return tuple(out)


class FillOptions(TypedDict, total=False):
    """The keyword arguments of :func:`fill_urls`, which :func:`fill_url` passes on."""

    slug: str
    country: str
    private: Collection[str]
    limit: int


def fill_url(
    template: str, profile: Profile, **options: Unpack[FillOptions]
) -> list[str] | SkipReason:
    """The URLs of :func:`fill_urls` (same arguments) without what they send."""
    filled = fill_urls(template, profile, **options)
    if isinstance(filled, SkipReason):
        return filled
    return [f.url for f in filled]


def broker_urls(
    broker: Broker, profile: Profile, private: Collection[str] = ()
) -> list[tuple[str, list[FilledUrl] | SkipReason]]:
    """Each of the broker's search kinds ("name", "phone", "email") and its URLs or skip."""
    return [
        (kind, fill_urls(t, profile, slug=broker.slug, country=broker.country, private=private))
        for kind, t in broker.templates
    ]


def out_of_area(broker: Broker, profile: Profile, default_region: str = "") -> SkipReason | None:
    """Why a one-country broker is not worth asking about this person, or None.

    A broker is asked when it covers every country, when the person has a
    place (or a phone) in its country or a place whose country is unknown,
    or, for a profile with no place at all, when its country is the
    configured default region. Otherwise the name would be sent abroad for
    nothing.
    """
    country = broker.country.upper()
    if country in _ANY_COUNTRY:
        return None
    places = _places(profile, ())
    if any(p.country_code in ("", country) for p in places):
        return None
    if any(_phone_digits(p, country) for p in profile.phones):
        return None
    if not places and country == (default_region or "").upper():
        return None
    return SkipReason(f"covers {country}; you have no place or phone there")


def hand_check_url(broker: Broker) -> str:
    """Where a person checks this broker themselves: its opt-out page, else its home page."""
    return broker.opt_out_url or broker.url
