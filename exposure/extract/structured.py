"""Structured data beside or inside the cards: schema.org microdata and
JSON-LD ``Person`` objects. When a record carries them they come first; the
text scan fills in what they leave out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from typing import Any

from exposure.extract.fields import _EMAIL, _find_phones, _unique
from exposure.extract.names import _name_candidates, _names_in, looks_like_name
from exposure.extract.page import MAX_NODES
from exposure.extract.places import _STREET, _plausible_place
from exposure.textsafe import clean

# --------------------------------------------------------------------------- structured data
#
# schema.org microdata (itemscope / itemprop) and JSON-LD Person objects are a
# page telling us its fields outright; when a record carries them they come
# first, and the text scan fills in what they leave out.

_PERSON_TYPE = re.compile(r"(?:^|[/#\s])Person(?:$|\s)")
_RELATION_PROPS = (
    "relatedTo",
    "knows",
    "spouse",
    "parent",
    "parents",
    "children",
    "sibling",
    "siblings",
    "colleague",
    "colleagues",
)
_LD_ATTR = "data-exposure-ld-person"  # where a record's JSON-LD Person is parked
MAX_PROPS = 200


def _is_person_scope(el: Any) -> bool:
    if el.get("itemscope") is None:
        return False
    return bool(_PERSON_TYPE.search(el.get("itemtype", "")))


def _structured(roots: Sequence[Any]) -> dict[str, list[Any]] | None:
    """The record's own Person properties from microdata, else from a JSON-LD
    Person parked on one of its elements, as {property: [values]} (a nested item
    is a dict of the same shape). None when the block carries neither, or
    several unrelated Persons (a list, not one record)."""
    people: list[Any] = []
    ld: list[str] = []
    for root in roots:
        for el in islice(root.iter(), MAX_NODES):
            if not isinstance(el.tag, str):
                continue
            if _is_person_scope(el) and not _inside_person(el, roots):
                people.append(el)
            value = el.get(_LD_ATTR)
            if value:
                ld.append(value)
    if len(people) == 1:
        return _item_props(people[0], depth=0)
    if not people and len(ld) == 1:
        import json

        try:
            obj = json.loads(ld[0])
        except ValueError:
            return None
        return _ld_props(obj, depth=0) if isinstance(obj, dict) else None
    return None


def _inside_person(el: Any, roots: Sequence[Any]) -> bool:
    """Is this Person item nested in another Person (a relative) within the block?"""
    for anc in el.iterancestors():
        if _is_person_scope(anc):
            return True
        if any(anc is r for r in roots):
            return False
    return False


def _owner(el: Any, scope: Any) -> Any:
    for anc in el.iterancestors():
        if anc.get("itemscope") is not None:
            return anc
        if anc is scope:
            return None
    return None


def _item_props(scope: Any, depth: int) -> dict[str, list[Any]]:
    props: dict[str, list[Any]] = {}
    count = 0
    for el in islice(scope.iterdescendants(), MAX_NODES):
        if not isinstance(el.tag, str) or not el.get("itemprop"):
            continue
        if _owner(el, scope) is not scope:
            continue
        count += 1
        if count > MAX_PROPS:
            break
        if el.get("itemscope") is not None:
            value: Any = _item_props(el, depth + 1) if depth < 3 else {}
        else:
            value = _item_value(el)
        for prop in el.get("itemprop", "").split()[:4]:
            props.setdefault(prop, []).append(value)
    return props


def _item_value(el: Any) -> str:
    tag = el.tag
    if el.get("content") is not None:
        raw = el.get("content", "")
    elif tag in ("a", "link", "area") and el.get("href"):
        raw = el.get("href", "")
    elif tag == "time" and el.get("datetime"):
        raw = el.get("datetime", "")
    elif tag == "meta":
        raw = el.get("content", "")
    else:
        raw = el.text_content()
    return clean(" ".join(str(raw).split()), limit=300)


def _ld_props(obj: dict[str, Any], depth: int) -> dict[str, list[Any]]:
    """A JSON-LD object in the microdata shape: {property: [str | dict]}."""
    props: dict[str, list[Any]] = {}
    for key, raw in list(obj.items())[:MAX_PROPS]:
        if not isinstance(key, str) or key.startswith("@"):
            continue
        values = raw if isinstance(raw, list) else [raw]
        for value in values[:40]:
            if isinstance(value, dict):
                if depth < 3:
                    props.setdefault(key, []).append(_ld_props(value, depth + 1))
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                props.setdefault(key, []).append(clean(" ".join(str(value).split()), limit=300))
    return props


def _park_json_ld(doc: Any) -> None:
    """Before scripts are stripped: a JSON-LD Person inside the body is parked on
    its script's parent element, so the record block holding it can read it."""
    import json

    for el in list(islice(doc.iter("script"), 2000)):
        if "ld+json" not in el.get("type", "").casefold():
            continue
        parent = el.getparent()
        if parent is None or parent.tag in ("head", "html", "body"):
            continue
        raw = (el.text or "").strip()
        if not raw or len(raw) > 100_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        people = [
            item
            for item in items[:50]
            if isinstance(item, dict) and "Person" in _ld_types(item.get("@type"))
        ]
        if len(people) == 1:
            parent.set(_LD_ATTR, json.dumps(people[0], ensure_ascii=False)[:20_000])


def _ld_types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.rsplit("/", 1)[-1]]
    if isinstance(value, list):
        return [v.rsplit("/", 1)[-1] for v in value if isinstance(v, str)]
    return []


def _texts(values: Sequence[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str) and v]


def _structured_name(data: dict[str, list[Any]]) -> str:
    for value in _texts(data.get("name", [])):
        for cand in _name_candidates(value):
            if looks_like_name(cand):
                return cand
    given = _texts(data.get("givenName", []))
    family = _texts(data.get("familyName", []))
    if given and family:
        full = f"{given[0]} {family[0]}"
        if looks_like_name(full):
            return full
    return ""


def _postal(value: Any) -> tuple[str | None, str | None]:
    """(place, street address) of a PostalAddress item or a plain address text."""
    if isinstance(value, str):
        if _STREET.search(value):
            return None, value
        return (value if _plausible_place(value) else None), None
    if not isinstance(value, dict):
        return None, None

    def first(key: str) -> str:
        found = _texts(value.get(key, []))
        return found[0].strip(" ,") if found else ""

    street = first("streetAddress")
    city = first("addressLocality")
    region = first("addressRegion")
    postcode = first("postalCode")
    place = ", ".join(p for p in (city, region) if p)
    if city and not region and postcode:
        place = f"{city}, {postcode}"
    where = " ".join(p for p in (place, postcode if region else "") if p)
    address = f"{street}, {where}" if street and where else street
    return (place or None), (address or None)


def _merge_structured(facts: dict[str, Any], data: dict[str, list[Any]], region: str) -> None:
    """Put the structured fields first in ``facts`` (the text scan's findings)."""
    places: list[str] = []
    streets: list[str] = []
    for key in ("address", "homeLocation", "location"):
        for value in data.get(key, [])[:10]:
            if isinstance(value, dict) and "address" in value:  # a Place holding an address
                value = value["address"][0] if value["address"] else None
            place, street = _postal(value)
            if place:
                places.append(place)
            if street:
                streets.append(street)
    facts["places"] = _unique([*places, *facts["places"]])[:20]
    text_streets = [s for s in facts["addresses"] if not any(_fold_prefix(t, s) for t in streets)]
    facts["addresses"] = _unique([*streets, *text_streets])[:20]
    phones = " ; ".join(_texts(data.get("telephone", []))[:10])
    if phones:
        from exposure.people.locations import region_of_location

        regions = [region, *(r for r in map(region_of_location, places[:3]) if r)]
        facts["phones"] = list(dict.fromkeys([*_find_phones(phones, regions), *facts["phones"]]))
    emails = [
        e.removeprefix("mailto:")
        for e in _texts(data.get("email", []))
        if _EMAIL.fullmatch(e.removeprefix("mailto:"))
    ]
    facts["emails"] = _unique([*emails, *facts["emails"]])[:20]
    relatives: list[str] = []
    for key in _RELATION_PROPS:
        for value in data.get(key, [])[:40]:
            if isinstance(value, dict):
                name = _structured_name(value)
                if name:
                    relatives.append(name)
            elif isinstance(value, str):
                relatives.extend(_names_in(value))
    facts["relatives"] = _unique([*relatives, *facts["relatives"]])[:40]
    if facts["birth_year"] is None:
        for value in _texts(data.get("birthDate", [])):
            match = re.search(r"\b(?:18|19|20)\d{2}\b", value)
            if match:
                facts["birth_year"] = int(match.group(0))
                break
    if facts["age"] is None:
        for value in _texts(data.get("age", [])):
            if value.isdigit() and 1 <= int(value) <= 120:
                facts["age"], facts["age_range"] = int(value), None
                break


def _fold_prefix(full: str, part: str) -> bool:
    """Does ``full`` start with ``part`` (folded)? "18 Elm Court, Seattle" ⊇ "18 Elm Court"."""
    from exposure.people.names import fold

    a, b = fold(full), fold(part)
    return bool(b) and a.startswith(b)
