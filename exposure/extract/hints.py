"""Per-broker extraction hints: what a catalogue entry may tell the extractor.

Generic extraction is the default for every broker. A catalogue entry may add
a ``hints`` table for a site whose layout defeats it (in the spirit of the
per-broker JSON configurations of DuckDuckGo's broker protection)::

    [broker.hints]
    record = "div.card-summary"                 # CSS: one element per record
    name = ".content-header"                    # field: CSS, "CSS@attribute" or "@attribute"
    age = ".content-value"
    link = "@data-detail-link"                  # an attribute of the record element itself
    places = ".content-value"
    relatives = ".related a"
    no_results = ["We could not find any records"]
    labels = { current = ["Lives in"], past = ["Used to live in"], relatives = ["Related to"],
               aliases = ["AKA"] }

Every selector is compiled when the catalogue is read. A broken one is a
:class:`HintError` naming the field, which the catalogue turns into a one-line
error naming the broker: a hint never falls back silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

FIELDS = ("name", "age", "places", "addresses", "phones", "emails", "relatives", "link")
LABEL_KINDS = ("current", "past", "relatives", "aliases")
_KEYS = frozenset({"record", "no_results", "labels", *FIELDS})
_ATTRIBUTE = re.compile(r"^[A-Za-z_:][\w:.\-]*$")


class HintError(ValueError):
    """A hint that cannot be used; ``field`` names it ("record", "age", "labels.past")."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class FieldHint:
    """Where one field is: the elements ``selector`` matches (inside the record;
    None = the record element itself), read from ``attribute`` or their text."""

    selector: str | None
    attribute: str | None = None


@dataclass(frozen=True)
class Hints:
    record: str | None = None
    fields: Mapping[str, FieldHint] = field(default_factory=dict)
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    no_results: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.record or self.fields or self.labels or self.no_results)


NO_HINTS = Hints()


@lru_cache(maxsize=256)
def compiled(selector: str) -> Any:
    """An lxml CSS selector; :class:`HintError` ("record") when it does not compile."""
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    try:
        return CSSSelector(selector)
    except (SelectorError, SyntaxError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise HintError("selector", f"bad CSS selector {selector!r} ({first})") from None


def _selector(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise HintError(name, "must be a CSS selector (a non-empty string)")
    text = value.strip()
    try:
        compiled(text)
    except HintError as exc:
        raise HintError(name, str(exc).split(": ", 1)[1]) from None
    return text


def _field(value: Any, name: str) -> FieldHint:
    if not isinstance(value, str) or not value.strip():
        raise HintError(name, 'must be "CSS", "CSS@attribute" or "@attribute"')
    text = value.strip()
    selector, at, attribute = text.rpartition("@")
    if not at:
        return FieldHint(_selector(text, name))
    if not _ATTRIBUTE.match(attribute):
        raise HintError(name, f"bad attribute name {attribute!r}")
    return FieldHint(_selector(selector, name) if selector.strip() else None, attribute)


def _words(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise HintError(name, "must be a list of non-empty strings")
    return tuple(" ".join(w.split()) for w in value)


def parse_hints(raw: Any) -> Hints:
    """A ``hints`` table as read from TOML/JSON; :class:`HintError` when unusable."""
    if raw is None:
        return NO_HINTS
    if not isinstance(raw, dict):
        raise HintError("hints", "must be a table")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise HintError(unknown[0], f"unknown hint (known: {', '.join(sorted(_KEYS))})")
    record = _selector(raw["record"], "record") if raw.get("record") is not None else None
    fields = {k: _field(raw[k], k) for k in FIELDS if raw.get(k) is not None}
    if fields and record is None:
        raise HintError(next(iter(fields)), "field hints need a record selector (record = ...)")
    labels_raw = raw.get("labels") or {}
    if not isinstance(labels_raw, dict):
        raise HintError("labels", "must be a table of word lists")
    bad = sorted(set(labels_raw) - set(LABEL_KINDS))
    if bad:
        raise HintError(f"labels.{bad[0]}", f"unknown label kind (known: {', '.join(LABEL_KINDS)})")
    labels = {k: _words(v, f"labels.{k}") for k, v in labels_raw.items()}
    no_results = _words(raw["no_results"], "no_results") if raw.get("no_results") else ()
    return Hints(record=record, fields=fields, labels=labels, no_results=no_results)
