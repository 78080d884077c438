"""What a broker is: the catalogue's records, placeholders and opt-out words.

:class:`Broker` is one site of the catalogue, :class:`OptOut` how to get a
listing removed (its ``method`` one of :data:`METHODS`, what it ``requires``
among :data:`REQUIREMENTS`), and :class:`Broker.remedy` the opt-out as a
finding carries it. A search URL names profile values with placeholders
(:data:`PLACEHOLDERS`, e.g. ``{full_name}``); :func:`template_keys` lists a
template's. :class:`SkipReason` and :class:`FilledUrl` are what filling a
template gives (:mod:`exposure.catalogues.brokers.urls`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from exposure.extract.hints import NO_HINTS, Hints
from exposure.model import BrokerOptOut

PLACEHOLDERS = frozenset(
    {"full_name", "first", "last", "city", "region", "postcode", "email", "phone", "username"}
)
NAME_KEYS = frozenset({"full_name", "first", "last"})
PLACE_KEYS = frozenset({"city", "region", "postcode"})
METHODS = ("web-form", "email", "mail", "phone", "account")
REQUIREMENTS = ("email-verification", "phone-call", "id", "fee", "account", "captcha")
# The profile field each placeholder reveals (what config's private_fields names).
PLACEHOLDER_FIELD = {
    "full_name": "name",
    "first": "name",
    "last": "name",
    "city": "location",
    "region": "location",
    "postcode": "location",
    "email": "email",
    "phone": "phone",
    "username": "username",
}
# A placeholder in a template: ``{city}``.
TOKEN = re.compile(r"\{([^{}]*)\}")


class Render(StrEnum):
    """How a broker's result pages are read: plain HTTP, or rendered in the browser."""

    HTTP = "http"
    BROWSER = "browser"


@dataclass(frozen=True)
class OptOut:
    """How to get a listing removed: the method, what it demands, how long it takes."""

    method: str
    requires: tuple[str, ...] = ()
    days: int | None = None
    notes: str = ""
    email: str = ""


@dataclass(frozen=True)
class Broker:
    """One people-search site or data broker."""

    id: str
    name: str
    country: str
    url: str
    search_url: str | None
    phone_search_url: str | None
    email_search_url: str | None
    opt_out_url: str = ""  # "" when the catalogue does not know it
    opt_out: OptOut | None = None  # None: find the opt-out on the site
    relists: bool = False
    note: str = ""
    slug: str = ""  # what spaces inside a value become in the URL ("-" for /Jane-Doe/)
    hints: Hints = NO_HINTS
    render: Render = Render.HTTP  # "browser": its results are built by JavaScript
    # The network it belongs to (one request to the parent covers every member,
    # e.g. PeopleConnect: Intelius, Instant Checkmate...), the parent company's
    # name, and the address for privacy requests.
    network: str = ""
    parent: str = ""
    privacy_email: str = ""
    # Listed in California's data broker registry (so a DROP request covers it).
    ca_registry: bool = False

    @property
    def record_selector(self) -> str | None:
        return self.hints.record

    @property
    def no_results(self) -> tuple[str, ...]:
        return self.hints.no_results

    @property
    def templates(self) -> list[tuple[str, str]]:
        """``(kind, template)`` for each search this broker offers: name, phone, email."""
        out = [
            ("name", self.search_url),
            ("phone", self.phone_search_url),
            ("email", self.email_search_url),
        ]
        return [(kind, t) for kind, t in out if t]

    @property
    def searchable(self) -> bool:
        return bool(self.templates)

    def remedy(self) -> BrokerOptOut:
        """How to get a listing removed, as a finding carries it (``method`` empty:
        the catalogue does not know the steps; the URL is the best place to start)."""
        if self.opt_out is None:
            return BrokerOptOut(self.id, self.name, url=self.opt_out_url, method="")
        return BrokerOptOut(
            broker_id=self.id,
            broker_name=self.name,
            url=self.opt_out_url or self.url,
            method=self.opt_out.method,
            requires=tuple(self.opt_out.requires),
            days=self.opt_out.days,
            notes=self.opt_out.notes,
            email=self.opt_out.email,
            relists=self.relists,
        )


@dataclass
class BrokerCatalogue:
    brokers: list[Broker]
    sources: list[Path] = field(default_factory=list)

    def get(self, broker_id: str) -> Broker | None:
        for broker in self.brokers:
            if broker.id == broker_id:
                return broker
        return None

    def __len__(self) -> int:
        return len(self.brokers)

    def __iter__(self) -> Iterator[Broker]:
        return iter(self.brokers)


@dataclass(frozen=True)
class SkipReason:
    """Why a template cannot be filled for a profile ("needs a city")."""

    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class FilledUrl:
    """A concrete search URL and the profile values it carries (for ``--dry-run``)."""

    url: str
    sends: tuple[tuple[str, str], ...]  # (field, value), e.g. ("city", "Austin")


def template_keys(template: str) -> list[str]:
    """The placeholder names of ``template`` in order of appearance (repeats kept)."""
    return TOKEN.findall(template)
