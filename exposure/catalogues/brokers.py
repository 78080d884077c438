"""The people-search broker catalogue: loading, validation and URL filling.

Each broker says where a person can be searched for (``search_url`` and
optionally ``phone_search_url`` / ``email_search_url``, with placeholders)
and, when known, how to get out (``opt_out_url`` and an ``opt_out`` table).
``id``, ``name`` and ``search_url`` are enough: a person adding a site they
found needs nothing else, and without an opt-out the checklist says to find
the opt-out on the site. An optional ``hints`` table helps extraction on a
site whose layout defeats the generic reader (:mod:`exposure.extract.hints`:
record selector, field selectors or attributes, label words, no-results
text); a broken hint is a one-line error naming the broker and the field. The bundled
catalogue is ``data/brokers.toml``; a person adds or replaces brokers with
``$EXPOSURE_HOME/brokers.d/*.toml`` (same id = replaced), and ``--brokers
FILE`` (TOML or JSON) replaces the whole catalogue for one run.

A file that cannot be used (not TOML/JSON, wrong shape, an entry without id
or name, a URL that is not http(s), an unknown placeholder, a
duplicate id...) raises :class:`~exposure.errors.CheckerInputError`
with ONE line naming the file and the entry, so a scan stops with exit status
2 instead of quietly searching half a catalogue.

:func:`fill_url` turns a template and a profile into concrete search URLs (one
per useful name x place combination, bounded), or a :class:`SkipReason` when
the profile cannot fill it ("needs a city"). Values are URL-encoded: with
``%20`` in the path and ``+`` in the query; a broker's ``slug`` separator
first turns spaces and punctuation inside a value into e.g. ``-`` for sites
whose URLs look like ``/name/Jane-Doe/Austin-TX``.

Data only: no HTTP and no bs4, so loading stays fast.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

from exposure.catalogues.files import parse_json, parse_toml, read_catalogue
from exposure.errors import CheckerInputError
from exposure.extract.hints import NO_HINTS, HintError, Hints, parse_hints
from exposure.model import BrokerOptOut, Profile

log = logging.getLogger(__name__)

PLACEHOLDERS = frozenset(
    {"full_name", "first", "last", "city", "region", "postcode", "email", "phone", "username"}
)
NAME_KEYS = frozenset({"full_name", "first", "last"})
PLACE_KEYS = frozenset({"city", "region", "postcode"})
METHODS = ("web-form", "email", "mail", "phone", "account")
REQUIREMENTS = ("email-verification", "phone-call", "id", "fee", "account", "captcha")
# Friendlier spellings accepted in files, stored as the canonical word.
_REQUIREMENT_ALIASES = {
    "email": "email-verification",
    "email-confirmation": "email-verification",
    "phone": "phone-call",
    "phone-verification": "phone-call",
    "sms": "phone-call",
    "identity": "id",
    "id-document": "id",
    "payment": "fee",
}
MAX_URLS = 4  # per template: enough for a name alias or a second town, not a crawl
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
# Countries-in-name-only: no filtering of places or phones by country.
_ANY_COUNTRY = frozenset({"", "INTL", "EU"})
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_TOKEN = re.compile(r"\{([^{}]*)\}")
_KNOWN_KEYS = frozenset(
    {
        "id",
        "name",
        "country",
        "network",
        "parent",
        "privacy_email",
        "ca_registry",
        "url",
        "search_url",
        "phone_search_url",
        "email_search_url",
        "opt_out_url",
        "opt_out",
        "relists",
        "note",
        "record_selector",
        "no_results",
        "slug",
        "hints",
        "render",
    }
)
_OPT_OUT_KEYS = frozenset({"method", "requires", "days", "notes", "email"})


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


# --------------------------------------------------------------------------- loading


def default_path() -> Path:
    from exposure import paths

    return paths.bundled_data() / "brokers.toml"


def default_user_dir() -> Path:
    from exposure import paths

    return paths.current().config_dir / "brokers.d"


def load_brokers(path: Path | None = None, *, user_dir: Path | None = None) -> BrokerCatalogue:
    """The catalogue for a run.

    With ``path`` (``--brokers FILE``): that file alone, TOML or JSON. Without:
    the bundled catalogue plus every ``*.toml`` in ``user_dir`` (default
    ``$EXPOSURE_HOME/brokers.d``), in name order; a user entry whose id is
    already known replaces the earlier one.
    """
    if path is not None:
        where = Path(path)
        return BrokerCatalogue(brokers=_read(where), sources=[where])
    bundled = default_path()
    brokers = {b.id: b for b in _read(bundled)}
    sources = [bundled]
    folder = user_dir if user_dir is not None else default_user_dir()
    if folder.is_dir():
        for extra in sorted(folder.glob("*.toml")):
            for broker in _read(extra):
                if broker.id in brokers:
                    log.info("%s: broker %r replaces the earlier entry", extra, broker.id)
                brokers[broker.id] = broker
            sources.append(extra)
    return BrokerCatalogue(brokers=list(brokers.values()), sources=sources)


def _read(where: Path) -> list[Broker]:
    raw = read_catalogue(where, "a brokers catalogue")
    suffix = where.suffix.lower()
    fmt = "json" if suffix == ".json" else "toml" if suffix == ".toml" else None
    return parse_brokers(raw, str(where), fmt=fmt)


def parse_brokers(raw: bytes | str, source: str, *, fmt: str | None = None) -> list[Broker]:
    """Validate catalogue text; ``source`` names it in errors.

    ``fmt`` is "toml" or "json" (from the file's suffix); None detects it from
    the content: JSON when it parses as JSON, else TOML.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise CheckerInputError(f"{source}: not UTF-8 text") from None
    data: Any
    if fmt == "json":
        data = parse_json(text, source)
    elif fmt == "toml":
        data = parse_toml(text, source)
    else:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            if text.lstrip().startswith("{"):
                data = parse_json(text, source)  # raises, naming the JSON problem
            data = parse_toml(text, source)
    entries = _entries(data, source)
    brokers: list[Broker] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        broker = _broker(entry, source, i)
        if broker.id in seen:
            raise CheckerInputError(f"{source}: broker {broker.id!r}: duplicate id")
        seen.add(broker.id)
        brokers.append(broker)
    return brokers


def _entries(data: Any, source: str) -> list[Any]:
    if isinstance(data, list):
        entries = data
    elif isinstance(data, dict):
        keys = [k for k in ("broker", "brokers") if k in data]
        if not keys:
            raise CheckerInputError(
                f"{source}: not a broker catalogue (expected [[broker]] tables "
                "or a JSON object with a 'brokers' list)"
            )
        entries = data[keys[0]]
    else:
        raise CheckerInputError(f"{source}: not a broker catalogue")
    if not isinstance(entries, list):
        raise CheckerInputError(f"{source}: 'broker' must be a list of tables")
    if not entries:
        raise CheckerInputError(f"{source}: the catalogue has no brokers")
    return entries


def _label(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
        return f"broker {entry['id'].strip()!r}"
    return f"broker #{index + 1}"


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = entry.get(key)
    if value is None:
        if required:
            raise CheckerInputError(f"{where}: has no {key}")
        return ""
    if not isinstance(value, str):
        raise CheckerInputError(f"{where}: {key} must be a string")
    value = value.strip()
    if required and not value:
        raise CheckerInputError(f"{where}: has no {key}")
    return value


def _url(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CheckerInputError(f"{where}: has no {key}")
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other unparseable hosts
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise CheckerInputError(f"{where}: {key} is not an http(s) URL ({url[:80]!r})")
    if any(ch.isspace() for ch in url):
        raise CheckerInputError(f"{where}: {key} contains whitespace (encode it as %20)")
    return url


def template_keys(template: str) -> list[str]:
    """The placeholder names of ``template`` in order of appearance (repeats kept)."""
    return _TOKEN.findall(template)


def _template(value: Any, key: str, where: str, must_have: str | None = None) -> str | None:
    if value is None:
        return None
    url = _url(value, key, where)
    names = template_keys(url)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        known = " ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
        raise CheckerInputError(
            f"{where}: {key} has unknown placeholder {{{unknown[0]}}} (known: {known})"
        )
    if "{" in _TOKEN.sub("", url) or "}" in _TOKEN.sub("", url):
        raise CheckerInputError(f"{where}: {key} has an unbalanced brace")
    if not names:
        raise CheckerInputError(f"{where}: {key} has no placeholder to search with")
    if _TOKEN.search(urlsplit(url).netloc):
        raise CheckerInputError(f"{where}: {key} has a placeholder in its host name")
    if must_have and must_have not in names:
        raise CheckerInputError(f"{where}: {key} has no {{{must_have}}} placeholder")
    return url


def _opt_out(value: Any, where: str) -> OptOut | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CheckerInputError(f"{where}: opt_out must be a table")
    unknown = sorted(set(value) - _OPT_OUT_KEYS)
    if unknown:
        raise CheckerInputError(f"{where}: opt_out has unknown key {unknown[0]!r}")
    method = value.get("method")
    if method not in METHODS:
        raise CheckerInputError(
            f"{where}: opt_out.method must be one of {', '.join(METHODS)} (got {method!r})"
        )
    raw_requires = value.get("requires", [])
    if isinstance(raw_requires, str):
        raw_requires = [raw_requires]
    if not isinstance(raw_requires, list) or not all(isinstance(r, str) for r in raw_requires):
        raise CheckerInputError(f"{where}: opt_out.requires must be a list of strings")
    requires: list[str] = []
    for item in raw_requires:
        word = _REQUIREMENT_ALIASES.get(item.strip().lower(), item.strip().lower())
        if word not in REQUIREMENTS:
            raise CheckerInputError(
                f"{where}: opt_out.requires has unknown {item!r} (known: {', '.join(REQUIREMENTS)})"
            )
        if word not in requires:
            requires.append(word)
    days = value.get("days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise CheckerInputError(f"{where}: opt_out.days must be a whole number of days")
    notes = value.get("notes", "")
    email = value.get("email", "")
    if not isinstance(notes, str) or not isinstance(email, str):
        raise CheckerInputError(f"{where}: opt_out.notes and opt_out.email must be strings")
    email = email.strip()
    if method == "email" and not email:
        raise CheckerInputError(f"{where}: opt_out.method is email but opt_out.email is empty")
    if email and ("@" not in email or any(ch.isspace() for ch in email)):
        raise CheckerInputError(f"{where}: opt_out.email is not an address ({email[:60]!r})")
    return OptOut(
        method=method, requires=tuple(requires), days=days, notes=notes.strip(), email=email
    )


def _phrases(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise CheckerInputError(f"{where}: no_results must be a list of non-empty strings")
    return tuple(p.strip() for p in value)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _broker(entry: Any, source: str, index: int) -> Broker:
    where = f"{source}: {_label(entry, index)}"
    if not isinstance(entry, dict):
        raise CheckerInputError(f"{where}: is not a table")
    broker_id = _text(entry, "id", where, required=True)
    if not _ID.match(broker_id):
        raise CheckerInputError(
            f"{where}: id must be lower-case letters, digits, '.', '_' or '-' (got {broker_id!r})"
        )
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise CheckerInputError(f"{where}: unknown key {unknown[0]!r}")
    name = _text(entry, "name", where, required=True)
    raw_opt_out_url = entry.get("opt_out_url")
    opt_out_url = _url(raw_opt_out_url, "opt_out_url", where) if raw_opt_out_url else ""
    opt_out = _opt_out(entry.get("opt_out"), where)
    search = _template(entry.get("search_url"), "search_url", where)
    phone = _template(entry.get("phone_search_url"), "phone_search_url", where, "phone")
    email = _template(entry.get("email_search_url"), "email_search_url", where, "email")
    url = _url(entry["url"], "url", where) if entry.get("url") is not None else ""
    if url and _TOKEN.search(url):
        raise CheckerInputError(f"{where}: url must not have placeholders")
    if not (url or search or opt_out_url):
        raise CheckerInputError(f"{where}: needs a search_url, a url or an opt_out_url")
    url = url or _origin(search or opt_out_url)
    relists = entry.get("relists", False)
    if not isinstance(relists, bool):
        raise CheckerInputError(f"{where}: relists must be true or false")
    hints = _hints(entry, where)
    slug = _text(entry, "slug", where)
    if len(slug) > 1 or (slug and slug.isalnum()):
        raise CheckerInputError(f"{where}: slug must be one separator character such as '-'")
    country = _text(entry, "country", where).upper()
    render_text = _text(entry, "render", where) or Render.HTTP.value
    try:
        render = Render(render_text)
    except ValueError:
        raise CheckerInputError(f'{where}: render must be "http" or "browser"') from None
    network, parent, privacy_email = _ownership(entry, where)
    ca_registry = entry.get("ca_registry", False)
    if not isinstance(ca_registry, bool):
        raise CheckerInputError(f"{where}: ca_registry must be true or false")
    return Broker(
        id=broker_id,
        name=name,
        country=country,
        url=url,
        search_url=search,
        phone_search_url=phone,
        email_search_url=email,
        opt_out_url=opt_out_url,
        opt_out=opt_out,
        relists=relists,
        note=_text(entry, "note", where),
        slug=slug,
        hints=hints,
        render=render,
        network=network,
        parent=parent,
        privacy_email=privacy_email,
        ca_registry=ca_registry,
    )


def _hints(entry: dict[str, Any], where: str) -> Hints:
    """The entry's ``hints`` table; the older top-level ``record_selector`` and
    ``no_results`` keys are read as the same hints."""
    raw = entry.get("hints")
    if raw is not None and not isinstance(raw, dict):
        raise CheckerInputError(f"{where}: hints must be a table")
    merged = dict(raw or {})
    selector = _text(entry, "record_selector", where)
    if selector:
        merged.setdefault("record", selector)
    phrases = _phrases(entry.get("no_results"), where)
    if phrases:
        merged["no_results"] = [*phrases, *(merged.get("no_results") or [])]
    try:
        return parse_hints(merged or None)
    except HintError as exc:
        raise CheckerInputError(f"{where}: hints.{exc}") from None


def _ownership(entry: dict[str, Any], where: str) -> tuple[str, str, str]:
    """``network`` (an id), ``parent`` (a company name) and ``privacy_email``, all optional."""
    network = _text(entry, "network", where)
    if network and not _ID.match(network):
        raise CheckerInputError(f"{where}: network must be an id like 'peopleconnect'")
    email = _text(entry, "privacy_email", where)
    if email and ("@" not in email or any(ch.isspace() or ord(ch) < 32 for ch in email)):
        raise CheckerInputError(f"{where}: privacy_email is not an address ({email[:60]!r})")
    return network, _text(entry, "parent", where), email


# --------------------------------------------------------------------------- filling


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

    return _TOKEN.sub(one, template)


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


def fill_url(
    template: str,
    profile: Profile,
    *,
    slug: str = "",
    country: str = "",
    private: Collection[str] = (),
    limit: int = MAX_URLS,
) -> list[str] | SkipReason:
    """The URLs of :func:`fill_urls` without what they send."""
    filled = fill_urls(template, profile, slug=slug, country=country, private=private, limit=limit)
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


__all__: Sequence[str] = (
    "Broker",
    "BrokerCatalogue",
    "FilledUrl",
    "OptOut",
    "SkipReason",
    "broker_urls",
    "fill_url",
    "fill_urls",
    "hand_check_url",
    "load_brokers",
    "out_of_area",
    "parse_brokers",
)
