"""The rules behind removal requests (``data/requests.toml``), typed and validated.

One :class:`Jurisdiction` per law: what it lets the person ask for, how long
the business has to answer (and any extension), who to complain to. Every
fact carries its public source. :func:`jurisdiction_for` picks the entry that
fits a profile's location; anything it cannot place gets the plain opt-out
:class:`Jurisdiction` built from ``[fallback]``, with a note saying why — it
never raises for an unknown place.

Deadline arithmetic lives here too (:func:`add_deadline`): calendar days, or
calendar months the way the GDPR counts them (31 January + 1 month = the last
day of February).
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from exposure.errors import UsageError
from exposure.model import Profile


class RequestRulesError(UsageError):
    """requests.toml is unusable: one line naming the entry and the problem."""


class Right(StrEnum):
    """What the letter asks for, as the law words it."""

    DELETE = "delete"
    ERASE = "erase"
    WITHDRAW_CONSENT = "withdraw-consent"
    OPT_OUT = "opt-out"


@dataclass(frozen=True)
class Sourced:
    """A fact and the public page it comes from."""

    text: str
    source: str


@dataclass(frozen=True)
class Deadline:
    """How long a business has to answer: ``days`` or ``months``, plus an extension."""

    days: int = 0
    months: int = 0
    extension_days: int = 0
    extension_months: int = 0
    source: str = ""

    @property
    def statutory(self) -> bool:
        return bool(self.days or self.months)

    def describe(self) -> str:
        base = _span(self.days, self.months)
        ext = _span(self.extension_days, self.extension_months)
        if not base:
            return "no legal deadline"
        return f"{base}" + (f" (extendable by {ext})" if ext else "")


def _span(days: int, months: int) -> str:
    if months:
        return "one month" if months == 1 else f"{months} months"
    if days:
        return f"{days} days"
    return ""


@dataclass(frozen=True)
class Regulator:
    name: str
    short: str
    complaint_url: str
    source: str


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: str
    right: Right
    law: Sourced | None
    deadline: Deadline
    regulator: Regulator | None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    note: str = ""
    follow_up_days: int = 30  # when to remind where no law sets a deadline

    @property
    def is_fallback(self) -> bool:
        return self.law is None


@dataclass(frozen=True)
class AddressProgram:
    """An address-confidentiality program (California's Safe at Home, ...)."""

    id: str
    name: str
    law: Sourced
    deadline: Deadline
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    program_url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Drop:
    """California's Delete Request and Opt-out Platform."""

    name: str
    url: str
    law: Sourced
    open_since: date
    processing_from: date
    interval_days: int
    covers: str
    does_not_cover: tuple[str, ...]
    registry_url: str  # California's data broker registry (brokers.toml ``ca_registry``)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RequestRules:
    jurisdictions: tuple[Jurisdiction, ...]
    fallback: Jurisdiction
    programs: tuple[AddressProgram, ...] = ()
    drop: Drop | None = None

    def get(self, jurisdiction_id: str) -> Jurisdiction | None:
        if jurisdiction_id == self.fallback.id:
            return self.fallback
        return next((j for j in self.jurisdictions if j.id == jurisdiction_id), None)

    def program(self, program_id: str) -> AddressProgram | None:
        return next((p for p in self.programs if p.id == program_id), None)


@dataclass(frozen=True)
class Choice:
    """The jurisdiction chosen for a profile, where from, and any caveat."""

    jurisdiction: Jurisdiction
    location: str = ""
    note: str = ""


# --------------------------------------------------------------------------- loading


def default_path() -> Path:
    from exposure import paths

    return paths.bundled_data() / "requests.toml"


_CACHE: dict[Path, RequestRules] = {}


def load_rules(path: Path | None = None) -> RequestRules:
    """The rules file (bundled by default), validated; RequestRulesError names any problem."""
    path = path or default_path()
    if path in _CACHE:
        return _CACHE[path]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RequestRulesError(f"{path}: {exc}") from None
    rules = parse_rules(data, str(path))
    _CACHE[path] = rules
    return rules


def parse_rules(data: Mapping[str, Any], where: str = "requests.toml") -> RequestRules:
    entries = data.get("jurisdiction", [])
    if not isinstance(entries, list) or not entries:
        raise RequestRulesError(f"{where}: needs at least one [[jurisdiction]]")
    jurisdictions = [
        _jurisdiction(e, f"{where}: jurisdiction {n + 1}") for n, e in enumerate(entries)
    ]
    ids = [j.id for j in jurisdictions]
    for dup in {i for i in ids if ids.count(i) > 1}:
        raise RequestRulesError(f"{where}: jurisdiction id {dup!r} appears twice")
    fallback = _fallback(data.get("fallback"), f"{where}: [fallback]")
    programs = tuple(
        _program(e, f"{where}: address_program {n + 1}")
        for n, e in enumerate(data.get("address_program", []))
    )
    drop = _drop(data["drop"], f"{where}: [drop]") if "drop" in data else None
    return RequestRules(tuple(jurisdictions), fallback, programs, drop)


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RequestRulesError(f"{where}: must be a table")
    return value


def _str(entry: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RequestRulesError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _url(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = _str(entry, key, where)
    if not value.startswith("https://"):
        raise RequestRulesError(f"{where}: {key} must be an https:// URL (got {value[:60]!r})")
    return value


def _int(entry: Mapping[str, Any], key: str, where: str) -> int:
    value = entry.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RequestRulesError(f"{where}: {key} must be a whole number ≥ 0")
    return value


def _sourced(value: Any, where: str) -> Sourced:
    table = _table(value, where)
    return Sourced(_str(table, "title", where), _url(table, "source", where))


def _deadline(value: Any, where: str) -> Deadline:
    table = _table(value, where)
    deadline = Deadline(
        days=_int(table, "days", where),
        months=_int(table, "months", where),
        extension_days=_int(table, "extension_days", where),
        extension_months=_int(table, "extension_months", where),
        source=_url(table, "source", where),
    )
    if bool(deadline.days) == bool(deadline.months):
        raise RequestRulesError(f"{where}: give exactly one of days or months")
    return deadline


def _places(entry: Mapping[str, Any], where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    countries = entry.get("countries", [entry["country"]] if "country" in entry else [])
    regions = entry.get("regions", [])
    for name, values in (("countries", countries), ("regions", regions)):
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise RequestRulesError(f"{where}: {name} must be a list of strings")
    if not countries:
        raise RequestRulesError(f"{where}: needs country or countries")
    return tuple(c.upper() for c in countries), tuple(_fold(r) for r in regions)


def _jurisdiction(value: Any, where: str) -> Jurisdiction:
    entry = _table(value, where)
    jid = _str(entry, "id", where)
    where = f"{where} ({jid})"
    try:
        right = Right(str(entry.get("right")))
    except ValueError:
        raise RequestRulesError(
            f"{where}: right must be one of {', '.join(r.value for r in Right)}"
        ) from None
    reg = _table(entry.get("regulator"), f"{where}: regulator")
    regulator = Regulator(
        name=_str(reg, "name", where),
        short=_str(reg, "short", where),
        complaint_url=_url(reg, "complaint_url", where),
        source=_url(reg, "source", where),
    )
    countries, regions = _places(entry, where)
    return Jurisdiction(
        id=jid,
        name=_str(entry, "name", where),
        right=right,
        law=_sourced(entry.get("law"), f"{where}: law"),
        deadline=_deadline(entry.get("deadline"), f"{where}: deadline"),
        regulator=regulator,
        countries=countries,
        regions=regions,
        note=_str(entry, "note", where, required=False),
    )


def _fallback(value: Any, where: str) -> Jurisdiction:
    entry = _table(value, where)
    return Jurisdiction(
        id=_str(entry, "id", where),
        name=_str(entry, "name", where),
        right=Right.OPT_OUT,
        law=None,
        deadline=Deadline(),
        regulator=None,
        note=_str(entry, "note", where),
        follow_up_days=_int(entry, "follow_up_days", where) or 30,
    )


def _program(value: Any, where: str) -> AddressProgram:
    entry = _table(value, where)
    countries, regions = _places(entry, where)
    return AddressProgram(
        id=_str(entry, "id", where),
        name=_str(entry, "name", where),
        law=_sourced(entry.get("law"), f"{where}: law"),
        deadline=_deadline(entry.get("deadline"), f"{where}: deadline"),
        countries=countries,
        regions=regions,
        program_url=_url(entry, "program_url", where) if entry.get("program_url") else "",
        note=_str(entry, "note", where, required=False),
    )


def _dated(value: Any, where: str) -> tuple[date, Mapping[str, Any]]:
    table = _table(value, where)
    when = table.get("date")
    if not isinstance(when, date):
        raise RequestRulesError(f"{where}: date must be a TOML date (2026-01-01)")
    _url(table, "source", where)
    return when, table


def _drop(value: Any, where: str) -> Drop:
    entry = _table(value, where)
    opened, opened_t = _dated(entry.get("open_since"), f"{where}: open_since")
    processing, processing_t = _dated(entry.get("processing_from"), f"{where}: processing_from")
    registry = _url(_table(entry.get("registry"), f"{where}: registry"), "source", where)
    excluded = entry.get("does_not_cover", [])
    if not isinstance(excluded, list) or not all(isinstance(x, str) for x in excluded):
        raise RequestRulesError(f"{where}: does_not_cover must be a list of strings")
    law = _sourced(entry.get("law"), f"{where}: law")
    return Drop(
        name=_str(entry, "name", where),
        url=_url(entry, "url", where),
        law=law,
        open_since=opened,
        processing_from=processing,
        interval_days=_int(processing_t, "interval_days", where) or 45,
        covers=_str(entry, "covers", where),
        does_not_cover=tuple(excluded),
        registry_url=registry,
        sources=(law.source, str(opened_t["source"]), str(processing_t["source"]), registry),
    )


# --------------------------------------------------------------------------- choosing


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace(".", "").split())


def _matches(countries: Sequence[str], regions: Sequence[str], code: str, region: str) -> bool:
    if code not in countries:
        return False
    return (
        not regions
        or _fold(region) in regions
        or _fold(region.split()[0] if region else "") in regions
    )


def _places_of(profile: Profile) -> Iterable[tuple[str, str, str]]:
    """(text, country code, region) for each location, then each address."""
    from exposure.people.profile import parse_location

    for text in [*profile.locations, *profile.addresses]:
        loc = parse_location(text)
        yield text, loc.country_code, loc.region


def jurisdiction_for(profile: Profile, rules: RequestRules) -> Choice:
    """The law that fits where the person lives; the plain opt-out when none does.

    The first location (then address) that matches an entry decides; when the
    profile's places fall under different laws, the note says which was used.
    """
    found: list[tuple[str, Jurisdiction]] = []
    unplaced: list[str] = []
    for text, code, region in _places_of(profile):
        match = next(
            (j for j in rules.jurisdictions if _matches(j.countries, j.regions, code, region)),
            None,
        )
        if match is None:
            unplaced.append(text)
        else:
            found.append((text, match))
    if not found:
        why = (
            f"no law in our rules for {', '.join(unplaced[:3])}"
            if unplaced
            else "the profile has no location"
        )
        return Choice(rules.fallback, note=f"Plain opt-out request: {why}.")
    text, chosen = found[0]
    others = sorted({j.name for _, j in found if j.id != chosen.id})
    note = f"Also under {', '.join(others)}: using {chosen.name} ({text})." if others else ""
    return Choice(chosen, location=text, note=note)


def program_for(profile: Profile, rules: RequestRules) -> AddressProgram | None:
    """The profile's address-confidentiality program (its ``address_program`` flag)."""
    wanted = getattr(profile, "address_program", None)
    return rules.program(wanted) if wanted else None


def in_california(profile: Profile, rules: RequestRules) -> bool:
    return any(
        _matches(("US",), ("ca", "california"), code, region)
        for _, code, region in _places_of(profile)
    )


# --------------------------------------------------------------------------- deadlines


def add_months(start: date, months: int) -> date:
    """``start`` plus calendar months; a missing day becomes the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    """When an answer is due: by law, and at the latest with the extension."""

    due: date | None  # None: no legal deadline (a plain opt-out)
    extended: date | None
    follow_up: date  # when to remind: the due date, or a suggested day

    def days_left(self, today: date) -> int:
        return ((self.due or self.follow_up) - today).days


def add_deadline(sent_on: date, deadline: Deadline, *, follow_up_days: int = 30) -> Due:
    if not deadline.statutory:
        return Due(None, None, sent_on + timedelta(days=follow_up_days))
    if deadline.months:
        due = add_months(sent_on, deadline.months)
    else:
        due = sent_on + timedelta(days=deadline.days)
    extended = None
    if deadline.extension_months:  # counted from the sending, so no day is lost at month ends
        extended = add_months(sent_on, deadline.months + deadline.extension_months)
    elif deadline.extension_days:
        extended = due + timedelta(days=deadline.extension_days)
    return Due(due, extended, due)
