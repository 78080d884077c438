"""People a page holds only in its scripts: JSON-LD ``Person`` lists and
JavaScript state blobs (``window.__INITIAL_STATE__ = {...}``, Next.js
``__NEXT_DATA__``, ``var __PRELOADED_STATE__ = {...}``).

A results page built in the browser ships its records as data and renders
the cards with JavaScript, so the HTML has no cards to read. The data is
still in the page: this finds the objects in it that describe a person (a
name, plus an age, a place, relatives or a link) and gives each in the
schema.org property shape that :mod:`exposure.extract.structured` reads, so
they are cleaned and merged by the same rules as microdata.

Key names differ from site to site; they are matched by what they say
(``first_name``, ``firstName``, ``city``, ``top_city_states``, ``relatives``,
``family_members``...), never by one site's layout. Everything is bounded:
script size, JSON nesting (the parser's own recursion limit is caught),
objects walked and people kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from exposure.extract.names import looks_like_name
from exposure.extract.structured import _ld_props, _ld_types

MAX_SCRIPTS = 200
MAX_SCRIPT_CHARS = 3_000_000  # a state blob holding every record can be large
MAX_TOTAL_CHARS = 8_000_000
MAX_NODES_WALKED = 200_000
MAX_PEOPLE = 500
MAX_DEPTH = 40

# "= {" or "= [" after a name: an assignment of a state object.
_ASSIGNMENT = re.compile(r"(?:^|[;\s(,])[\w$.\[\]\"']{1,80}\s*=\s*(?=[{\[])")
_NAME_KEYS = ("name", "full_name", "fullname", "display_name", "person_name")
_FIRST_KEYS = ("first_name", "firstname", "first", "given_name", "givenname", "given")
_MIDDLE_KEYS = ("middle_name", "middlename", "middle", "middle_initial")
_LAST_KEYS = ("last_name", "lastname", "last", "family_name", "familyname", "surname", "family")
_NESTED_NAME_KEYS = ("main_name", "mainname", "name", "primary_name", "primaryname", "names")
_AGE_KEYS = ("age", "current_age", "currentage", "age_years")
_URL_KEYS = (
    "url",
    "link",
    "href",
    "profile_url",
    "profileurl",
    "permalink",
    "detail_url",
    "detailurl",
    "canonical_url",
    "path",
)
_CITY_KEYS = ("city", "locality", "town", "addresslocality", "city_name")
_REGION_KEYS = ("state", "region", "province", "state_code", "statecode", "addressregion")
_POSTAL_KEYS = ("postal_code", "postalcode", "zip", "zipcode", "zip_code", "postcode")
_STREET_KEYS = ("street", "street_address", "streetaddress", "address_line", "line1", "address1")
_PLACES_KEY = re.compile(r"city|location|address|residence|place|lived|home", re.I)
_RELATIVES_KEY = re.compile(r"relative|family|associate|related|relation|kin", re.I)
_PHONE_KEYS = ("phone", "phones", "telephone", "phone_number", "phonenumber", "phone_numbers")
_EMAIL_KEYS = ("email", "emails", "email_address", "emailaddress")


def script_texts(root: Any) -> list[tuple[str, str]]:
    """(type, text) of the page's scripts that may hold data, before they are stripped."""
    out: list[tuple[str, str]] = []
    total = 0
    for el in islice(root.iter("script"), MAX_SCRIPTS * 5):
        kind = el.get("type", "").casefold().strip()
        if kind and "json" not in kind and "javascript" not in kind:
            continue
        text = el.text or ""
        if el.get("src") or not text.strip() or len(text) > MAX_SCRIPT_CHARS:
            continue
        if "json" not in kind and "=" not in text:
            continue
        total += len(text)
        if total > MAX_TOTAL_CHARS or len(out) >= MAX_SCRIPTS:
            break
        out.append((kind, text))
    return out


def script_people(scripts: list[tuple[str, str]]) -> list[dict[str, list[Any]]]:
    """Every person described in the scripts, as schema.org-shaped properties."""
    people: list[dict[str, list[Any]]] = []
    budget = [MAX_NODES_WALKED]
    for kind, text in scripts:
        for value in _json_values(kind, text):
            for found in _people_in(value, "ld+json" in kind, budget):
                people.append(found)
                if len(people) >= MAX_PEOPLE:
                    return people
    return people


def _json_values(kind: str, text: str) -> Iterator[Any]:
    """The JSON values in a script: the whole of a JSON script, or each assigned object."""
    if "json" in kind:
        loaded = _load(text.strip())
        if loaded is not None:
            yield loaded
        return
    decoder = json.JSONDecoder()
    for match in islice(_ASSIGNMENT.finditer(text), 20):
        try:
            value, _ = decoder.raw_decode(text, match.end())
        except (ValueError, RecursionError):
            continue
        yield value


def _load(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _people_in(value: Any, linked_data: bool, budget: list[int]) -> Iterator[dict[str, list[Any]]]:
    """Walk ``value`` iteratively; a person object is given and not walked into
    (its own lists are its relatives and places, not more records)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack and budget[0] > 0:
        item, depth = stack.pop()
        budget[0] -= 1
        if isinstance(item, dict):
            props = _ld_person(item) if linked_data else _blob_person(item)
            if props is not None:
                yield props
                continue
            if depth < MAX_DEPTH:
                stack.extend((v, depth + 1) for v in reversed(list(item.values())[:500]))
        elif isinstance(item, list) and depth < MAX_DEPTH:
            stack.extend((v, depth + 1) for v in reversed(item[:2000]))


def _ld_person(item: dict[str, Any]) -> dict[str, list[Any]] | None:
    if "Person" not in _ld_types(item.get("@type")):
        return None
    return _ld_props(item, 0)


# --------------------------------------------------------------------------- state blobs


def _keyed(obj: dict[str, Any]) -> dict[str, Any]:
    """The object's keys folded: ``firstName``, ``first_name``, ``FirstName`` alike."""
    return {str(k).casefold(): v for k, v in list(obj.items())[:200]}


def _first_text(keyed: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = keyed.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:200]
        if isinstance(value, int | float) and not isinstance(value, bool) and key in _POSTAL_KEYS:
            return str(value)
    return ""


def _name_of(obj: Any, depth: int = 0) -> str:
    """A person's name from an object: one full-name field, or first (middle) last."""
    if isinstance(obj, str):
        text = " ".join(obj.split())[:200]
        return text if looks_like_name(text) else ""
    if not isinstance(obj, dict) or depth > 2:
        return ""
    keyed = _keyed(obj)
    first, last = _first_text(keyed, _FIRST_KEYS), _first_text(keyed, _LAST_KEYS)
    if first and last:
        middle = _first_text(keyed, _MIDDLE_KEYS)
        full = " ".join(p for p in (first, middle, last) if p)
        if looks_like_name(full):
            return full
    for key in _NAME_KEYS:
        value = keyed.get(key)
        if isinstance(value, str):
            text = " ".join(value.split())[:200]
            if looks_like_name(text):
                return text
    for key in _NESTED_NAME_KEYS:
        value = keyed.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict):
            found = _name_of(value, depth + 1)
            if found:
                return found
    return ""


def _age_of(keyed: dict[str, Any]) -> str:
    for key in _AGE_KEYS:
        value = keyed.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and 0 < value < 130:
            return str(value)
        if isinstance(value, str) and value.strip().isdigit() and 0 < int(value) < 130:
            return value.strip()
    return ""


def _postal_props(value: Any) -> dict[str, list[Any]] | str | None:
    """A place object (city, state, zip, street) as a PostalAddress; a string as it is."""
    if isinstance(value, str):
        text = " ".join(value.split())[:300]
        return text or None
    if not isinstance(value, dict):
        return None
    keyed = _keyed(value)
    props: dict[str, list[Any]] = {}
    for prop, keys in (
        ("addressLocality", _CITY_KEYS),
        ("addressRegion", _REGION_KEYS),
        ("postalCode", _POSTAL_KEYS),
        ("streetAddress", _STREET_KEYS),
    ):
        text = _first_text(keyed, keys)
        if text:
            props[prop] = [text]
    return props if ("addressLocality" in props or "streetAddress" in props) else None


def _places_of(keyed: dict[str, Any]) -> list[Any]:
    places: list[Any] = []
    own = _postal_props({k: v for k, v in keyed.items() if not isinstance(v, dict | list)})
    if isinstance(own, dict):
        places.append(own)
    for key, value in keyed.items():
        if not _PLACES_KEY.search(key) or isinstance(value, str | int | float):
            continue
        for each in (value if isinstance(value, list) else [value])[:20]:
            found = _postal_props(each)
            if found is not None:
                places.append(found)
    return places


def _strings_or_names(value: Any, limit: int = 40) -> list[str]:
    out: list[str] = []
    for each in (value if isinstance(value, list) else [value])[:limit]:
        name = _name_of(each)
        if name:
            out.append(name)
    return out


def _texts_under(keyed: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for key in keys:
        value = keyed.get(key)
        for each in (value if isinstance(value, list) else [value])[:10]:
            if isinstance(each, str) and each.strip():
                out.append(each.strip()[:100])
            elif isinstance(each, dict):
                inner = _first_text(_keyed(each), ("number", "value", "phone", "address", "email"))
                if inner:
                    out.append(inner)
    return out


def _blob_person(obj: dict[str, Any]) -> dict[str, list[Any]] | None:
    """An object in a state blob that describes a person, as schema.org properties:
    a name, and at least one of an age, a place, relatives or a link of its own."""
    keyed = _keyed(obj)
    name = _name_of(obj)
    if not name:
        return None
    props: dict[str, list[Any]] = {"name": [name]}
    age = _age_of(keyed)
    if age:
        props["age"] = [age]
    places = _places_of(keyed)
    if places:
        props["address"] = places
    relatives = [
        n
        for key, value in keyed.items()
        if _RELATIVES_KEY.search(key) and isinstance(value, list | dict | str)
        for n in _strings_or_names(value)
    ]
    if relatives:
        props["relatedTo"] = [{"name": [n]} for n in relatives]
    url = _first_text(keyed, _URL_KEYS)
    if url:
        props["url"] = [url]
    phones = _texts_under(keyed, _PHONE_KEYS)
    if phones:
        props["telephone"] = phones
    emails = _texts_under(keyed, _EMAIL_KEYS)
    if emails:
        props["email"] = emails
    if len(props) == 1:
        return None  # a bare name (an author, a user, a label) is not a record
    return props
