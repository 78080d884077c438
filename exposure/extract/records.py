"""Generic person-record extraction from people-search result pages.

A broker's result page is a list of people: cards, table rows, list items,
definition lists. We find those repeated blocks *without per-site selectors*
(a catalogue entry may still give ``record_selector``), and pull out of each
block what identifies a person: name, age or birth year, places, street
addresses, phones (E.164), emails, relatives and the record's own link.

How the blocks are found (see :func:`extract_records`):

1. Decode bytes with charset sniffing (``bs4.UnicodeDammit``), cap the input
   (5 MiB) and parse with lxml (fast, C, tolerant of broken HTML; its depth
   limit flattens pathological nesting). We walk the tree iteratively, never
   recursively, and look at no more than ``MAX_NODES`` elements.
2. Drop page furniture: scripts, styles, nav, header, footer, forms, asides,
   iframes, hidden elements, JSON blobs, and elements whose class / id /
   aria-label says ad, sponsor, promo, nav, footer, breadcrumb, related... plus
   "People also searched"-style sections found by their heading. A JSON-LD
   ``Person`` inside a record is parked on its parent element first.
3. Group elements by a *signature* — tag and classes of the element, its
   parent and grandparent, with zebra/state classes ("even", "odd",
   "row-alt") left out — so cards split over grid rows and striped table rows
   still form one group. A member holding a name but no details whose next
   sibling holds details but no name (a table's name row + details row) is
   joined with it. Dictionary-style lists (``<dt>name</dt><dd>…</dd>``,
   heading + paragraphs) form "segment" groups. Each group is scored by how
   many members hold a plausible person name together with person facts (age,
   phone, place, address, email); the best group whose members really yield
   records wins. A page holding a single profile falls back to its main
   content block.
4. Per record: schema.org microdata (``itemprop`` name, nested PostalAddress,
   telephone, relatedTo/knows) or a JSON-LD Person gives fields outright; the
   text scan fills in the rest. "Name, Town" headings are split into the name
   and a place; age bands ("Age guide 35-39", "in their 40s") become
   ``age_range``, never an exact age.

Scraped text is hostile: every string is passed through
:func:`exposure.textsafe.clean` and stays plain data. Nothing in here raises on
bad input — a page we cannot read yields no records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from exposure.extract.blocks import _Block, _block
from exposure.extract.fields import (
    _find_age,
    _find_phones,
    _unique,
    fields_from_text,
    glued_age,
    marked_band,
)
from exposure.extract.hints import NO_HINTS, Hints, compiled
from exposure.extract.labels import is_field_label
from exposure.extract.links import _safe_url, choose_record_urls, url_candidates
from exposure.extract.names import _find_name_place, _name_candidates, _names_in, looks_like_name
from exposure.extract.page import (
    MAX_RECORDS,
    MAX_TEXT,
    _parse,
    _strip_furniture,
    decode_html,
)
from exposure.extract.scripts import script_people, script_texts
from exposure.extract.segment import _candidates, _main_block
from exposure.extract.structured import (
    _merge_structured,
    _park_json_ld,
    _structured,
    _structured_name,
)
from exposure.textsafe import clean

__all__ = ["Record", "extract_records"]


@dataclass
class Record:
    """One person as a page shows them. Every string is cleaned, plain data."""

    name: str
    age: int | None = None
    birth_year: int | None = None
    places: list[str] = field(default_factory=list)  # current first: "Austin, TX"
    addresses: list[str] = field(default_factory=list)  # street addresses
    phones: list[str] = field(default_factory=list)  # E.164
    emails: list[str] = field(default_factory=list)
    relatives: list[str] = field(default_factory=list)
    url: str | None = None  # the record's own absolute http(s) link
    text: str = ""  # the record's visible text, capped
    # An age the page gives only as a band ("Age guide 35-39", "in their 40s"),
    # inclusive; ``age`` stays None then, so a band is never mistaken for an age.
    age_range: tuple[int, int] | None = None
    # Links that could be the record's own, best first (``url`` is chosen from
    # them page-wide: a link several records share is nobody's own).
    url_candidates: list[str] = field(default_factory=list, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "age": self.age,
            "birth_year": self.birth_year,
            "places": list(self.places),
            "addresses": list(self.addresses),
            "phones": list(self.phones),
            "emails": list(self.emails),
            "relatives": list(self.relatives),
            "url": self.url,
            "text": self.text,
            "age_range": list(self.age_range) if self.age_range else None,
        }


# --------------------------------------------------------------------------- records


def _to_record(block: _Block, base_url: str, default_region: str) -> Record | None:
    if block.lines and is_field_label(block.lines[0]):
        return None  # "Has lived in:" and its places: one row of a record, not a record
    data = _structured(block.roots)
    name, tail_places = _find_name_place(block)
    own = _structured_name(data) if data else ""
    if own:
        name, tail_places = own, []
    if not name:
        return None
    text = block.text
    facts = fields_from_text(
        text,
        default_region=default_region,
        address_hints=block.addresses,
        place_hints=tail_places,
        marked_places=block.places,
    )
    if data:
        _merge_structured(facts, data, default_region)
    glued = glued_age(name, block.lines)
    if glued is not None:
        facts["age"], facts["age_range"] = glued, None
    elif facts["age"] is None and facts["birth_year"] is None:
        band = marked_band(block.marked)
        if band is not None:
            facts["age_range"] = band
        else:
            facts["age"] = _data_age(block.roots)
    return _record(name, facts, url_candidates(block, name, base_url), text)


def _data_age(roots: Iterable[Any]) -> int | None:
    """The age a card carries in a ``data-age`` attribute (its text may print the
    age bare, in a column under an "Age" header)."""
    for root in roots:
        for el in islice(root.iter(), 60):
            value = el.get("data-age") if isinstance(el.tag, str) else None
            if value is not None:
                value = value.strip()
                return int(value) if value.isdigit() and 0 < int(value) < 120 else None
    return None


def _record(name: str, facts: dict[str, Any], links: list[str], text: str) -> Record:
    """A record from its name and facts (``fields_from_text``'s shape), every string cleaned."""
    return Record(
        name=clean(name, limit=200),
        age=facts["age"],
        age_range=facts["age_range"],
        birth_year=facts["birth_year"],
        places=[clean(p, limit=200) for p in facts["places"][:20]],
        addresses=[clean(a, limit=300) for a in facts["addresses"]],
        phones=facts["phones"],
        emails=[clean(e, limit=200) for e in facts["emails"]],
        relatives=[clean(r, limit=200) for r in facts["relatives"] if r != name],
        url_candidates=links,
        text=clean(" ".join(text.split()), limit=MAX_TEXT),
    )


def _single_record(root: Any, base_url: str, default_region: str) -> list[Record]:
    main = _main_block(root)
    block = _block([main])
    if len(block.text) > 50_000:
        return []
    record = _to_record(block, base_url, default_region)
    if record is None:
        return []
    record.url = record.url_candidates[0] if record.url_candidates else None
    if (
        record.age is None
        and record.birth_year is None
        and record.age_range is None
        and not record.places
        and not (record.phones)
    ):
        return []
    return [record]


def _records_from(blocks: Iterable[list[Any]], base_url: str, region: str) -> list[Record]:
    out: list[Record] = []
    for members in blocks:
        if len(out) >= MAX_RECORDS:
            break
        record = _to_record(_block(members), base_url, region)
        if record is not None:
            out.append(record)
    return _with_urls(out)


def _with_urls(records: list[Record]) -> list[Record]:
    """Drop the copies of a record (mobile and desktop copies of one card: the
    same name and the same best link), then give each record its own link."""
    from exposure.people.names import fold

    seen: set[tuple[str, str]] = set()
    kept: list[Record] = []
    for record in records:
        if record.url_candidates:
            key = (fold(record.name), record.url_candidates[0])
            if key in seen:
                continue
            seen.add(key)
        kept.append(record)
    for record, url in zip(kept, choose_record_urls([r.url_candidates for r in kept]), strict=True):
        record.url = url
    return kept


def _facts(record: Record) -> int:
    return sum(
        bool(x)
        for x in (
            record.age is not None or record.birth_year is not None or record.age_range,
            record.places,
            record.phones,
            record.addresses,
            record.emails,
        )
    )


def _completeness(record: Record) -> int:
    """Person facts plus what a whole record has and a field does not: its
    relatives and a link of its own."""
    return _facts(record) + bool(record.relatives) + bool(record.url)


def _records_score(records: list[Record]) -> float:
    """How much a candidate group looks like a result list: records that carry
    person facts count; a group where most "records" are bare names (a list of
    relatives, a menu of names) does not qualify."""
    if len(records) < 2:
        return 0.0
    with_facts = [_facts(r) for r in records]
    if sum(1 for f in with_facts if f) * 2 < len(records):
        return 0.0
    # Squared: a group of whole records (name, age, places, relatives, link)
    # beats the groups of their fields (each place or relative on its own).
    return float(sum((1 + _completeness(r)) ** 2 for r in records))


def _by_selector(root: Any, hints: Hints, base_url: str, region: str) -> list[Record]:
    """One record per element the hint's record selector matches (outermost
    only), with the hinted fields read from their selectors or attributes."""
    assert hints.record is not None
    matched = list(islice(compiled(hints.record)(root), MAX_RECORDS * 2))
    chosen = set(matched)
    tops = [el for el in matched if not any(a in chosen for a in el.iterancestors())]
    out: list[Record] = []
    for el in tops[:MAX_RECORDS]:
        record = _to_record(_block([el]), base_url, region)
        if hints.fields:
            record = apply_field_hints(record, el, hints, base_url, region)
        if record is not None:
            out.append(record)
    return _with_urls(out)


def extract_records(
    html: str | bytes,
    base_url: str,
    *,
    hints: Hints = NO_HINTS,
    default_region: str = "US",
) -> list[Record]:
    """The person records on a result page, in page order, each once.

    Hostile pages (huge, deep, broken) give records or none, never an
    exception; an exception out of here is a bug in the extractor, and the
    caller shows it (the brokers checker makes it the check's error) instead
    of reading it as an empty page. ``hints`` come from the broker's catalogue
    entry (:mod:`exposure.extract.hints`); when a hint's record selector
    matches nothing (the site changed, or this is another of its layouts) the
    page is read generically, so a page with records is never called empty.
    ``default_region`` (ISO code) is used to read phone numbers written
    without a country code; regions implied by a record's places are tried too.
    """
    text = decode_html(html)
    root = _parse(text)
    if root is None:
        return []
    _park_json_ld(root)
    _strip_furniture(root)
    if hints.record:
        hinted = _dedupe(_by_selector(root, hints, base_url, default_region))
        if hinted:
            return hinted
        # The hint's record selector matches nothing: the site changed its layout
        # (or this page is another of its layouts). Read it generically rather
        # than call a page with records empty.
    best: list[Record] = []
    best_score = 0.0
    for cand in _candidates(root)[:8]:
        records = _records_from(cand.blocks, base_url, default_region)
        score = _records_score(records)
        if score > best_score:
            best, best_score = records, score
    return _dedupe(
        best
        or _single_record(root, base_url, default_region)
        or _script_records(text, base_url, default_region)
    )


def _script_records(text: str, base_url: str, region: str) -> list[Record]:
    """Records a page built by JavaScript holds only in its scripts (JSON-LD, state blobs).

    Read only when the visible page gave none, from a fresh parse (the first
    one had its scripts stripped), so pages with cards pay nothing for it."""
    root = _parse(text)
    if root is None:
        return []
    out: list[Record] = []
    for props in script_people(script_texts(root))[:MAX_RECORDS]:
        name = _structured_name(props)
        if not name:
            continue
        facts = fields_from_text("", default_region=region)
        _merge_structured(facts, props, region)
        links = (_safe_url(str(u), base_url) for u in props.get("url", [])[:3])
        out.append(_record(name, facts, [u for u in links if u], name))
    return _with_urls(out)


def _dedupe(records: list[Record]) -> list[Record]:
    """Each record once: pages print mobile and desktop copies of every card."""
    from exposure.people.names import fold

    seen: set[tuple[str, str]] = set()
    out: list[Record] = []
    for record in records:
        if record.url:
            key = (record.url, fold(record.name))
            if key in seen:
                continue
            seen.add(key)
        out.append(record)
    return out


def _hinted_values(el: Any, hints: Hints, name: str) -> list[str]:
    hint = hints.fields.get(name)
    if hint is None:
        return []
    found = [el] if hint.selector is None else list(islice(compiled(hint.selector)(el), 40))
    out = []
    for node in found:
        raw = node.get(hint.attribute, "") if hint.attribute else node.text_content()
        value = clean(" ".join(str(raw).split()), limit=300)
        if value:
            out.append(value)
    return out


def apply_field_hints(
    record: Record | None, el: Any, hints: Hints, base_url: str, region: str
) -> Record | None:
    """The record with the fields its broker's hints point at read from there."""
    names = [
        cand
        for value in _hinted_values(el, hints, "name")
        for cand in _name_candidates(value)
        if looks_like_name(cand)
    ]
    if record is None:
        if not names:
            return None
        record = Record(
            name=names[0], text=clean(" ".join(el.text_content().split()), limit=MAX_TEXT)
        )
    changes: dict[str, Any] = {}
    if names:
        changes["name"] = names[0]
    ages = [a for a in (_find_age(f"age {v}") for v in _hinted_values(el, hints, "age")) if a]
    if ages:
        changes["age"], changes["age_range"] = ages[0], None
    links = [u for u in (_safe_url(v, base_url) for v in _hinted_values(el, hints, "link")) if u]
    if links:
        changes["url_candidates"] = [*links, *record.url_candidates]
    places = _hinted_values(el, hints, "places")
    if places:
        changes["places"] = _unique([*places, *record.places])[:20]
    addresses = _hinted_values(el, hints, "addresses")
    if addresses:
        changes["addresses"] = _unique([*addresses, *record.addresses])[:20]
    phones = _find_phones(" ; ".join(_hinted_values(el, hints, "phones")), [region])
    if phones:
        changes["phones"] = list(dict.fromkeys([*phones, *record.phones]))[:20]
    emails = _hinted_values(el, hints, "emails")
    if emails:
        changes["emails"] = _unique([*emails, *record.emails])[:20]
    relatives = [n for v in _hinted_values(el, hints, "relatives") for n in _names_in(v)]
    if relatives:
        changes["relatives"] = _unique(relatives)[:40]
    return replace(record, **changes) if changes else record
